import { join } from 'node:path';
import { loadPartnersFile, type PartnerConfig } from '@ketenpoort/pki';
import {
  DERIVED_OUTPUTS,
  loadPolicyFile,
  NOT_PERMITTED,
  type FieldOutput,
  type Policy,
} from '@ketenpoort/policy';
import { REPORTER_TYPES, SIGNAL_FIELDS } from '@ketenpoort/signal-contract';

/** One released field and how it leaves (forwarded, pseudonymised, generalised to …, masked). */
export interface RopaReleasedField {
  field: string;
  how: string[];
}

/** One processing activity (a purpose of the policy), as GDPR art. 30(1) asks for it. */
export interface RopaActivity {
  purpose: string;
  processingActivity: string;
  description: string;
  dossierType: string;
  /** Per reporter type: the legal ground and whether consent is required; `not-permitted` otherwise. */
  grounds: { reporterType: string; legalGround: string; consent: 'none' | 'required' | 'not-permitted' }[];
  /** Reporting organisations (the partners) allowed to use this purpose, by reporter type. */
  sources: { partner: string; name: string; reporterType: string }[];
  released: RopaReleasedField[];
  derived: string[];
  /** Fields of signal v1 nothing of which leaves under this purpose. */
  dropped: string[];
  specialCategories: string[];
  recipients: string[];
  retention: string;
}

/** The record of processing activities (GDPR art. 30) generated from the active policy and partner table. */
export interface Ropa {
  policyVersion: string;
  policySource: string;
  controllerNote: string;
  activities: RopaActivity[];
}

function describeOutput(output: FieldOutput): string {
  switch (output.action) {
    case 'forward':
      return 'forwarded';
    case 'pseudonymise':
      return output.kind ? `pseudonymised (${output.kind} token)` : 'pseudonymised (linkage tokens)';
    case 'generalise':
      return `generalised (${output.to})`;
    case 'mask':
      return `masked (first ${output.first}, last ${output.last})`;
    default:
      return 'dropped';
  }
}

/**
 * Builds the record of processing activities from a policy and the partners.
 *
 * @example buildRopa(loadPolicyFile('config/policies/register.yaml'), loadPartnersFile('config/partners.yaml').partners)
 */
export function buildRopa(policy: Policy, partners: readonly PartnerConfig[]): Ropa {
  return {
    policyVersion: policy.version,
    policySource: policy.source,
    controllerNote:
      'Generated from the field policy and partner configuration; identifiers are released only as keyed pseudonyms.',
    activities: policy.purposes.map((purpose) => {
      const released = SIGNAL_FIELDS.flatMap((field) => {
        const outputs = (purpose.fields[field] ?? []).filter((o) => o.action !== 'drop');
        return outputs.length ? [{ field, how: outputs.map(describeOutput) }] : [];
      });
      const releasedNames = new Set(released.map((r) => r.field));
      return {
        purpose: purpose.id,
        processingActivity: purpose.processingActivity,
        description: purpose.description,
        dossierType: purpose.dossierType,
        grounds: REPORTER_TYPES.map((reporterType) => {
          const ground = purpose.grounds[reporterType];
          return ground === NOT_PERMITTED || !ground
            ? { reporterType, legalGround: NOT_PERMITTED, consent: 'not-permitted' as const }
            : { reporterType, legalGround: ground.legalGround, consent: ground.consent };
        }),
        sources: partners
          .filter((p) => p.purposes.includes(purpose.id))
          .map((p) => ({ partner: p.id, name: p.name, reporterType: p.reporterType })),
        released,
        derived: (purpose.derived ?? []).map((d) => `${d} → ${DERIVED_OUTPUTS[d].output}`),
        dropped: SIGNAL_FIELDS.filter((f) => !releasedNames.has(f)),
        specialCategories: [...releasedNames].filter((f) =>
          (
            policy.categories?.[f as keyof NonNullable<Policy['categories']>] ??
            (f === 'situation.healthNotes' ? ['special-category'] : [])
          ).includes('special-category'),
        ),
        recipients: [policy.destination],
        retention: purpose.retention,
      };
    }),
  };
}

/** The record as Markdown, for the privacy officer to publish. */
export function ropaMarkdown(ropa: Ropa): string {
  const lines = [
    '# Record of processing activities (GDPR art. 30)',
    '',
    `Policy version \`${ropa.policyVersion}\` (${ropa.policySource}). ${ropa.controllerNote}`,
    '',
  ];
  for (const a of ropa.activities) {
    lines.push(`## ${a.processingActivity} — purpose \`${a.purpose}\``, '', a.description, '');
    lines.push(
      `- Dossier type: ${a.dossierType}`,
      `- Recipients: ${a.recipients.join(', ')}`,
      `- Retention: ${a.retention} from the report date`,
      '',
    );
    lines.push(
      '### Legal grounds per reporter type',
      '',
      '| reporter type | legal ground | consent |',
      '|---|---|---|',
    );
    for (const g of a.grounds) lines.push(`| ${g.reporterType} | ${g.legalGround} | ${g.consent} |`);
    lines.push('', '### Sources', '');
    for (const s of a.sources) lines.push(`- ${s.name} (\`${s.partner}\`, ${s.reporterType})`);
    lines.push('', '### Categories of data released', '', '| field | how |', '|---|---|');
    for (const r of a.released) lines.push(`| ${r.field} | ${r.how.join('; ')} |`);
    if (a.derived.length) lines.push('', `Derived: ${a.derived.join(', ')}`);
    if (a.specialCategories.length)
      lines.push('', `Special categories (art. 9): ${a.specialCategories.join(', ')}`);
    lines.push('', '### Dropped (never leaves the gateway)', '', a.dropped.join(', '), '');
  }
  return `${lines.join('\n')}\n`;
}

/** `ketenpoort ropa`: reads `<configDir>/policies/register.yaml` and `<configDir>/partners.yaml`. */
export function runRopa(opts: { configDir: string; format: 'md' | 'json' }): string {
  const policy = loadPolicyFile(join(opts.configDir, 'policies', 'register.yaml'));
  const { partners } = loadPartnersFile(join(opts.configDir, 'partners.yaml'));
  const ropa = buildRopa(policy, partners);
  return opts.format === 'json' ? `${JSON.stringify(ropa, null, 2)}\n` : ropaMarkdown(ropa);
}
