import {
  DIRECT_IDENTIFIER_FIELDS,
  FREE_TEXT_FIELDS,
  REPORTER_TYPES,
  SPECIAL_CATEGORY_FIELDS,
  type ReporterType,
  type SignalField,
} from '@ketenpoort/signal-contract';
import {
  coversCriminalOffence,
  coversSpecialCategory,
  legalBasisFromText,
  type LegalBasis,
} from './legal-ground.js';
import type { PolicyProblem } from './policy.error.js';
import {
  DERIVED_OUTPUTS,
  LINKAGE_INPUT_FIELDS,
  LINKAGE_OUTPUT,
  MASKABLE_FIELDS,
  NOT_PERMITTED,
  SINGLE_FIELD_TOKEN_KINDS,
  generaliserOutput,
  tokenOutput,
  type FieldCategory,
  type FieldOutput,
  type Policy,
  type PurposeGround,
  type PurposePolicy,
} from './policy.model.js';

/** The part of a partner's configuration (partners.yaml) the linter checks a policy against. */
export interface LintPartner {
  id: string;
  reporterType: ReporterType;
  purposes: readonly string[];
}

export interface LintOptions {
  /** Configured partners: every purpose a partner may use must give its reporter type a ground. */
  partners?: readonly LintPartner[];
}

/** Largest `first`/`last` of a mask. */
export const MASK_MAX_KEEP = 16;

const DOCUMENT_NUMBER: SignalField = 'subject.documents[].number';

/**
 * The categories of a field under a policy (defaults when the policy was built by hand).
 *
 * @example fieldCategories(policy, 'situation.healthNotes') // ['special-category']
 */
export function fieldCategories(policy: Policy, field: SignalField): readonly FieldCategory[] {
  if (policy.categories) return policy.categories[field] ?? [];
  return SPECIAL_CATEGORY_FIELDS.includes(field) ? ['special-category'] : [];
}

/** The structured basis of a ground (read from the text when a hand-built ground has none). */
export function basisOf(ground: PurposeGround): LegalBasis | null {
  return ground.basis ?? legalBasisFromText(ground.legalGround);
}

/**
 * The output path an output of a field writes (tokens: `tokens.linkage` / `tokens.<kind>`), or null when the
 * output does not apply to the field (a generaliser for another field) or is `drop`.
 *
 * @example outputPath('subject.birthDate', { action: 'generalise', to: 'birth-year' }) // 'subject.birthYear'
 */
export function outputPath(field: SignalField, output: FieldOutput): string | null {
  switch (output.action) {
    case 'forward':
    case 'mask':
      return field;
    case 'generalise':
      return generaliserOutput(output.to, field);
    case 'pseudonymise':
      return output.kind ? tokenOutput(output.kind) : LINKAGE_OUTPUT;
    case 'drop':
      return null;
  }
}

/** A short text of one output as written in the policy (`{ generalise: age-band }`). */
export function describeOutput(output: FieldOutput): string {
  switch (output.action) {
    case 'generalise':
      return `{ generalise: ${output.to} }`;
    case 'mask':
      return `{ mask: { first: ${output.first}, last: ${output.last} } }`;
    case 'pseudonymise':
      return output.kind ? `{ pseudonymise: ${output.kind} }` : 'pseudonymise';
    default:
      return output.action;
  }
}

function checkOutputs(
  field: SignalField,
  outputs: readonly FieldOutput[],
  problem: (message: string) => void,
): void {
  const keys = outputs.map((output) => JSON.stringify(output));
  if (new Set(keys).size !== keys.length) problem('names the same output twice');
  if (outputs.some((output) => output.action === 'drop') && outputs.length > 1) {
    problem('drop cannot be combined with other outputs');
  }
  const direct = DIRECT_IDENTIFIER_FIELDS.includes(field);
  for (const output of outputs) {
    if (output.action === 'forward' && direct) {
      problem('is a direct identifier: it may only be pseudonymised or dropped, never forwarded');
    }
    if (output.action === 'mask') {
      if (direct) problem('is a direct identifier: it may only be pseudonymised or dropped, never masked');
      else if (!MASKABLE_FIELDS.includes(field)) {
        problem(
          `mask applies only to ${MASKABLE_FIELDS.join(', ')}${FREE_TEXT_FIELDS.includes(field) ? ' (never to free text)' : ''}`,
        );
      }
      const valid = (n: number) => Number.isInteger(n) && n >= 0 && n <= MASK_MAX_KEEP;
      if (!valid(output.first) || !valid(output.last) || output.first + output.last === 0) {
        problem(
          `mask needs whole numbers first and last from 0 to ${MASK_MAX_KEEP}, at least one of them above 0`,
        );
      }
    }
    if (output.action === 'generalise' && generaliserOutput(output.to, field) === null) {
      problem(`generalise '${output.to}' does not apply to this field`);
    }
    if (
      output.action === 'pseudonymise' &&
      output.kind === undefined &&
      !LINKAGE_INPUT_FIELDS.includes(field)
    ) {
      problem(
        `is no input of the linkage tokens (those are ${LINKAGE_INPUT_FIELDS.join(', ')}): drop it instead`,
      );
    }
    if (
      output.action === 'pseudonymise' &&
      output.kind !== undefined &&
      !(SINGLE_FIELD_TOKEN_KINDS[output.kind] as readonly string[]).includes(field)
    ) {
      problem(`a '${output.kind}' token cannot be made from this field`);
    }
  }
}

function checkGround(type: ReporterType, ground: PurposeGround, problem: (message: string) => void): void {
  const basis = basisOf(ground);
  if (!basis) {
    problem(
      'names no GDPR article or sector route (write ground: { gdpr: [6(1)(e)] } or ground: { route: police-data-act })',
    );
    return;
  }
  if (!basis.route && !basis.gdpr.some((article) => article.startsWith('6(1)'))) {
    problem(`needs an art. 6(1) ground or a sector route for ${type}; art. 9 and art. 10 only add to one`);
  }
  if (basis.gdpr.includes('10') && !basis.law && !basis.authority) {
    problem('names art. 10 without the law or authority that permits it (write law: or authority:)');
  }
  const consentArticle = basis.gdpr.includes('6(1)(a)') || basis.gdpr.includes('9(2)(a)');
  if (consentArticle && ground.consent === 'none') {
    problem('names consent (art. 6(1)(a) or 9(2)(a)) as its ground, so consent cannot be none');
  }
}

/**
 * The rules a policy must satisfy whatever partners exist; `parsePolicy` refuses a policy with any of these
 * problems. Each problem names the line and path of the rule at fault.
 *
 * @example checkPolicy(policy) // [] for a sound policy
 */
export function checkPolicy(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  policy.purposes.forEach((purpose, i) => checkPurpose(policy, purpose, `purposes[${i}]`, problems));
  return problems;
}

function checkPurpose(policy: Policy, purpose: PurposePolicy, path: string, problems: PolicyProblem[]): void {
  const fieldLine = (field: SignalField) => purpose.lines?.fields[field] ?? purpose.line;
  const fieldProblem = (field: SignalField) => (message: string) =>
    problems.push({ line: fieldLine(field), path: `${path}.fields.${field}`, message });
  const fields = Object.keys(purpose.fields) as SignalField[];

  for (const type of REPORTER_TYPES) {
    const ground = purpose.grounds[type];
    if (!ground || ground === NOT_PERMITTED) continue;
    checkGround(type, ground, (message) =>
      problems.push({
        line: purpose.lines?.grounds[type] ?? purpose.line,
        path: `${path}.grounds.${type}`,
        message,
      }),
    );
  }

  for (const field of fields) checkOutputs(field, purpose.fields[field]!, fieldProblem(field));

  const linkage = (field: SignalField) =>
    purpose.fields[field]?.some((output) => output.action === 'pseudonymise' && output.kind === undefined) ??
    false;
  if (linkage(DOCUMENT_NUMBER) && !linkage('subject.documents[].type')) {
    fieldProblem(DOCUMENT_NUMBER)('can only be pseudonymised together with subject.documents[].type');
  }
  for (const field of ['subject.documents[].type', 'subject.documents[].country'] as const) {
    if (linkage(field) && !linkage(DOCUMENT_NUMBER)) {
      fieldProblem(field)(`is only a linkage input together with ${DOCUMENT_NUMBER}`);
    }
  }

  // Two rules writing one output path would overwrite each other: refuse rather than guess.
  const writers = new Map<string, string>();
  const claim = (output: string, by: string, report: (message: string) => void) => {
    if (output.startsWith('tokens.')) return;
    const clash = [...writers.keys()].find(
      (other) => other === output || other.startsWith(`${output}.`) || output.startsWith(`${other}.`),
    );
    if (clash) report(`writes ${output}, which ${writers.get(clash)} also writes`);
    else writers.set(output, by);
  };
  for (const field of fields) {
    const seen = new Set<string>();
    for (const output of purpose.fields[field]!) {
      const path = outputPath(field, output);
      const rule = `${field} ${describeOutput(output)}`;
      if (path === null || seen.has(rule)) continue; // the same output twice is reported above
      seen.add(rule);
      claim(path, rule, fieldProblem(field));
    }
  }
  const derivedLine = purpose.lines?.derived ?? purpose.line;
  const derivedProblem = (message: string) =>
    problems.push({ line: derivedLine, path: `${path}.derived`, message });
  const derived = purpose.derived ?? [];
  if (new Set(derived).size !== derived.length) derivedProblem('names the same derived output twice');
  for (const id of new Set(derived)) claim(DERIVED_OUTPUTS[id].output, `derived ${id}`, derivedProblem);

  // Categories: released by a field rule (anything but drop) or through a derived output.
  const releasedBy = new Map<SignalField, (message: string) => void>();
  for (const field of fields) {
    if (purpose.fields[field]!.some((output) => output.action !== 'drop'))
      releasedBy.set(field, fieldProblem(field));
  }
  for (const id of derived) {
    for (const field of DERIVED_OUTPUTS[id].from) {
      if (!releasedBy.has(field)) releasedBy.set(field, (message) => derivedProblem(`${field}: ${message}`));
    }
  }
  for (const [field, report] of releasedBy) {
    const categories = fieldCategories(policy, field);
    const permitted = REPORTER_TYPES.filter((type) => {
      const ground = purpose.grounds[type];
      return ground !== undefined && ground !== NOT_PERMITTED;
    });
    const basis = (type: ReporterType) => basisOf(purpose.grounds[type] as PurposeGround);
    if (categories.includes('special-category')) {
      const lacking = permitted.filter((type) => {
        const b = basis(type);
        return !b || !coversSpecialCategory(b);
      });
      if (lacking.length) {
        report(
          `special-category data (GDPR art. 9) needs a legal ground naming art. 9; the ground of ${lacking.join(', ')} does not`,
        );
      }
    }
    if (categories.includes('criminal-offence')) {
      const lacking = permitted.filter((type) => {
        const b = basis(type);
        return !b || !coversCriminalOffence(b);
      });
      if (lacking.length) {
        report(
          `criminal-offence data (GDPR art. 10) needs art. 10 with the law or authority named, or a sector route; the ground of ${lacking.join(', ')} does not`,
        );
      }
    }
  }
}

/**
 * Lints a policy: every rule of `checkPolicy`, plus, given the configured partners, that each purpose a partner
 * may use exists and gives that partner's reporter type a ground. An empty list means the policy lints.
 *
 * @example lintPolicy(policy, { partners: loadPartnersFile('config/partners.yaml').partners }) // []
 */
export function lintPolicy(policy: Policy, opts: LintOptions = {}): PolicyProblem[] {
  const problems = checkPolicy(policy);
  for (const partner of opts.partners ?? []) {
    for (const purposeId of partner.purposes) {
      const index = policy.purposes.findIndex((purpose) => purpose.id === purposeId);
      if (index < 0) {
        problems.push({
          line: 1,
          path: 'purposes',
          message: `partner '${partner.id}' may use purpose '${purposeId}', which the policy does not define`,
        });
        continue;
      }
      const purpose = policy.purposes[index];
      if (purpose.grounds[partner.reporterType] === NOT_PERMITTED || !purpose.grounds[partner.reporterType]) {
        problems.push({
          line: purpose.lines?.grounds[partner.reporterType] ?? purpose.line,
          path: `purposes[${index}].grounds.${partner.reporterType}`,
          message: `partner '${partner.id}' (${partner.reporterType}) may use purpose '${purposeId}', but the policy gives ${partner.reporterType} no ground for it`,
        });
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}
