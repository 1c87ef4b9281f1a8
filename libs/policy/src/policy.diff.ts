import { REPORTER_TYPES, type ReporterType, type SignalField } from '@ketenpoort/signal-contract';
import { describeOutput, fieldCategories, outputPath } from './policy.linter.js';
import {
  DERIVED_OUTPUTS,
  NOT_PERMITTED,
  type ConsentRule,
  type Policy,
  type PurposePolicy,
} from './policy.model.js';

/** One thing a purpose releases: a field's output (or a derived output, `field` its first source or null). */
export interface ReleaseRule {
  field: SignalField | null;
  rule: string;
  output: string;
}

/** What changes for one reporter type under one purpose. */
export interface ReporterTypeDiff {
  reporterType: ReporterType;
  /** Present when the ground changes; null stands for not permitted (or no such purpose). */
  ground?: { from: string | null; to: string | null };
  consent?: { from: ConsentRule | null; to: ConsentRule | null };
  startsReleasing: ReleaseRule[];
  stopsReleasing: ReleaseRule[];
}

export interface PurposeDiff {
  purpose: string;
  status: 'added' | 'removed' | 'changed';
  /** Changes of description, processing activity, dossier type or retention (`retention: P10Y → P5Y`). */
  changes: string[];
  reporterTypes: ReporterTypeDiff[];
}

/** The differences between two policy versions, per purpose and reporter type. */
export interface PolicyDiff {
  from: string;
  to: string;
  ageBands?: { from: readonly number[]; to: readonly number[] };
  /** Fields whose categories (special-category, criminal-offence) change. */
  categories: { field: SignalField; from: readonly string[]; to: readonly string[] }[];
  purposes: PurposeDiff[];
}

function releasesOf(purpose: PurposePolicy | undefined, type: ReporterType): ReleaseRule[] {
  const ground = purpose?.grounds[type];
  if (!purpose || !ground || ground === NOT_PERMITTED) return [];
  const rules: ReleaseRule[] = [];
  for (const [field, outputs] of Object.entries(purpose.fields) as [
    SignalField,
    PurposePolicy['fields'][SignalField],
  ][]) {
    for (const output of outputs ?? []) {
      const path = outputPath(field, output);
      if (path !== null) rules.push({ field, rule: describeOutput(output), output: path });
    }
  }
  for (const id of purpose.derived ?? []) {
    rules.push({
      field: DERIVED_OUTPUTS[id].from[0] ?? null,
      rule: `derived: ${id}`,
      output: DERIVED_OUTPUTS[id].output,
    });
  }
  return rules;
}

const key = (rule: ReleaseRule) => `${rule.field}|${rule.rule}|${rule.output}`;

function groundText(purpose: PurposePolicy | undefined, type: ReporterType) {
  const ground = purpose?.grounds[type];
  return !ground || ground === NOT_PERMITTED ? null : ground;
}

/**
 * Which fields and outputs a change from policy `a` to `b` would start or stop releasing, per purpose and
 * reporter type, and which grounds and consent rules change. Unchanged purposes and types are left out.
 *
 * @example diffPolicies(active, candidate).purposes[0].reporterTypes[0].startsReleasing
 */
export function diffPolicies(a: Policy, b: Policy): PolicyDiff {
  const ids = [...new Set([...a.purposes.map((p) => p.id), ...b.purposes.map((p) => p.id)])];
  const purposes: PurposeDiff[] = [];
  for (const id of ids) {
    const from = a.purposes.find((p) => p.id === id);
    const to = b.purposes.find((p) => p.id === id);
    const changes: string[] = [];
    if (from && to) {
      for (const prop of ['description', 'processingActivity', 'dossierType', 'retention'] as const) {
        if (from[prop] !== to[prop]) changes.push(`${prop}: ${from[prop]} → ${to[prop]}`);
      }
    }
    const reporterTypes: ReporterTypeDiff[] = [];
    for (const type of REPORTER_TYPES) {
      const before = releasesOf(from, type);
      const after = releasesOf(to, type);
      const beforeKeys = new Set(before.map(key));
      const afterKeys = new Set(after.map(key));
      const diff: ReporterTypeDiff = {
        reporterType: type,
        startsReleasing: after.filter((rule) => !beforeKeys.has(key(rule))),
        stopsReleasing: before.filter((rule) => !afterKeys.has(key(rule))),
      };
      const g1 = groundText(from, type);
      const g2 = groundText(to, type);
      if ((g1?.legalGround ?? null) !== (g2?.legalGround ?? null)) {
        diff.ground = { from: g1?.legalGround ?? null, to: g2?.legalGround ?? null };
      }
      if ((g1?.consent ?? null) !== (g2?.consent ?? null)) {
        diff.consent = { from: g1?.consent ?? null, to: g2?.consent ?? null };
      }
      if (diff.ground || diff.consent || diff.startsReleasing.length || diff.stopsReleasing.length) {
        reporterTypes.push(diff);
      }
    }
    const status = !from ? 'added' : !to ? 'removed' : 'changed';
    if (status !== 'changed' || changes.length || reporterTypes.length) {
      purposes.push({ purpose: id, status, changes, reporterTypes });
    }
  }
  const fields = new Set([
    ...(Object.keys(a.categories ?? {}) as SignalField[]),
    ...(Object.keys(b.categories ?? {}) as SignalField[]),
  ]);
  const categories = [...fields]
    .map((field) => ({ field, from: fieldCategories(a, field), to: fieldCategories(b, field) }))
    .filter((c) => [...c.from].sort().join() !== [...c.to].sort().join());
  const bandsChanged = a.ageBands.join() !== b.ageBands.join();
  return {
    from: a.version,
    to: b.version,
    ...(bandsChanged ? { ageBands: { from: a.ageBands, to: b.ageBands } } : {}),
    categories,
    purposes,
  };
}

/**
 * A policy diff as text, one line per change, for the CLI and review comments.
 *
 * @example process.stdout.write(formatPolicyDiff(diffPolicies(a, b)))
 */
export function formatPolicyDiff(diff: PolicyDiff): string {
  const lines = [`policy ${diff.from.slice(0, 12)} → ${diff.to.slice(0, 12)}`];
  if (diff.ageBands)
    lines.push(`ageBands: [${diff.ageBands.from.join(', ')}] → [${diff.ageBands.to.join(', ')}]`);
  for (const c of diff.categories) {
    lines.push(`category of ${c.field}: [${c.from.join(', ')}] → [${c.to.join(', ')}]`);
  }
  for (const purpose of diff.purposes) {
    lines.push(`purpose ${purpose.purpose} (${purpose.status})`);
    for (const change of purpose.changes) lines.push(`  ${change}`);
    for (const type of purpose.reporterTypes) {
      lines.push(`  ${type.reporterType}:`);
      if (type.ground)
        lines.push(
          `    ground: ${type.ground.from ?? 'not permitted'} → ${type.ground.to ?? 'not permitted'}`,
        );
      if (type.consent) lines.push(`    consent: ${type.consent.from ?? '-'} → ${type.consent.to ?? '-'}`);
      for (const r of type.startsReleasing)
        lines.push(`    + ${r.field ?? '(purpose)'} ${r.rule} → ${r.output}`);
      for (const r of type.stopsReleasing)
        lines.push(`    - ${r.field ?? '(purpose)'} ${r.rule} → ${r.output}`);
    }
  }
  if (lines.length === 1) lines.push('no change in what is released, on which ground or with which consent');
  return lines.join('\n');
}
