import {
  SIGNAL_FIELDS,
  readField,
  type ConsentGiver,
  type FieldAction,
  type FieldDecision,
  type LinkageToken,
  type ReporterType,
  type SignalField,
  type SignalV1Dto,
} from '@ketenpoort/signal-contract';
import { addRetention, ageAtReport, ageBand, reportDate } from './age-at-report.js';
import {
  countryRegions,
  exploitationScope,
  generaliseDate,
  maskValue,
  minorOrAdult,
  postcodeArea,
  type AgeRange,
} from './field-generalisers.js';
import type { LegalBasis } from './legal-ground.js';
import { PolicyError } from './policy.error.js';
import { basisOf, describeOutput, outputPath } from './policy.linter.js';
import {
  DERIVED_OUTPUTS,
  NOT_PERMITTED,
  type DerivedOutput,
  type FieldOutput,
  type Policy,
  type PurposeGround,
  type PurposePolicy,
} from './policy.model.js';
import type { LinkageInput, TokenIssuer } from './token-issuer.js';

/** Age from which the subject gives consent; below it a parent or guardian does (PRODUCT.md). */
export const CONSENT_AGE = 16;

export interface EvaluationContext {
  /** From the partner's configuration, never from the signal body. */
  reporterType: ReporterType;
  tokens: TokenIssuer;
  /** Reserved for time-bound rules of later policy versions; the evaluation itself depends only on the signal. */
  now?: Date;
  /** The reporting organisation as configured: the `contact-point` derived output releases its contact point. */
  reporter?: { organisation: string; contactPoint?: string };
}

/** The outcome of applying a policy to one signal: what leaves, on which ground, and per field what happened. */
export interface Evaluation {
  purpose: string;
  dossierType: string;
  legalGround: string;
  /** The legal ground as structured data (null for a hand-built ground whose text names no article). */
  ground?: LegalBasis | null;
  policyVersion: string;
  keyVersion: number;
  consent: { required: boolean; by: ConsentGiver | null };
  /** ISO date: the reportedAt date plus the purpose's retention. */
  retainUntil: string;
  /**
   * `age-unknown` (no birth date), `minor-uncertain` (a partial birth date straddles 18 and an age output was
   * released), `age-uncertain` (age-at-report released as the lower bound of two possible ages).
   */
  flags: string[];
  /** Released values nested by output path. */
  data: Record<string, unknown>;
  tokens: LinkageToken[];
  /** One per field path present in the signal, in SIGNAL_FIELDS order. */
  decisions: FieldDecision[];
}

/** One value that leaves: which field (or derived output) and rule produced it, and where it goes. */
export interface Release {
  /** The signal field, or null for a derived output that depends on no field (dossier type, contact point). */
  field: SignalField | null;
  /** The rule as written in the policy (`{ generalise: age-band }`, `derived: minor`). */
  rule: string;
  action: FieldAction;
  /** Output path (`subject.birthYear`, `tokens.linkage`). */
  output: string;
  value: unknown;
}

const ACTION_RANK: Record<FieldAction, number> = {
  dropped: 0,
  pseudonymised: 1,
  generalised: 2,
  forwarded: 3,
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** A plain copy of a primitive or array of primitives as it came in (DTO instances never leave). */
const plain = (value: unknown): unknown => (Array.isArray(value) ? value.map(plain) : value);

/**
 * Finds the ground a reporter type has for a purpose; throws `POLICY.PURPOSE_UNKNOWN` or `POLICY.NO_GROUND`.
 *
 * @example groundFor(policy, 'registration', 'police').legalGround
 */
export function groundFor(
  policy: Policy,
  purposeId: string,
  reporterType: ReporterType,
): PurposeGround & { purpose: PurposePolicy } {
  const purpose = policy.purposes.find((candidate) => candidate.id === purposeId);
  if (!purpose) {
    throw new PolicyError(
      'POLICY.PURPOSE_UNKNOWN',
      `policy ${policy.destination} has no purpose '${purposeId}'`,
      'purpose',
    );
  }
  const ground = purpose.grounds[reporterType];
  if (!ground || ground === NOT_PERMITTED) {
    throw new PolicyError(
      'POLICY.NO_GROUND',
      `reporter type ${reporterType} has no legal ground for purpose '${purpose.id}'`,
      'purpose',
    );
  }
  return { ...ground, purpose };
}

/** Consent as the ground, the partner's type and the subject's age decide it; throws the consent refusals. */
export function decideConsent(
  ground: PurposeGround,
  purpose: string,
  signal: SignalV1Dto,
  age: AgeRange | null,
): Evaluation['consent'] {
  if (ground.consent === 'none') return { required: false, by: null };
  if (signal.consent?.status !== 'given') {
    throw new PolicyError(
      'POLICY.CONSENT_REQUIRED',
      `purpose '${purpose}' needs the consent of the subject or a guardian (consent.status must be given)`,
      'consent.status',
    );
  }
  if (age && age.min < CONSENT_AGE) {
    if (signal.consent.by !== 'guardian') {
      throw new PolicyError(
        'POLICY.GUARDIAN_CONSENT_REQUIRED',
        `the birth date allows an age under ${CONSENT_AGE}: consent.by must be guardian`,
        'consent.by',
      );
    }
    return { required: true, by: 'guardian' };
  }
  return { required: true, by: signal.consent.by ?? 'subject' };
}

/** Runs a transformation; anything but a PolicyError becomes `POLICY.TRANSFORM_FAILED` without its message. */
export function guarded<T>(purposeId: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    // The cause may quote a submitted value; only its type is kept.
    throw new PolicyError(
      'POLICY.TRANSFORM_FAILED',
      `purpose '${purposeId}': a transformation failed (${(error as Error)?.name ?? 'error'})`,
    );
  }
}

/** The subject's age range at the report, or null without a birth date. */
export function subjectAge(signal: SignalV1Dto): AgeRange | null {
  const birthDate = signal.subject?.birthDate;
  return birthDate ? ageAtReport(birthDate, signal.reportedAt) : null;
}

/**
 * Applies a policy to a validated signal for a reporter type. Pure: no I/O. Refuses with
 * `POLICY.PURPOSE_UNKNOWN`, `POLICY.NO_GROUND`, `POLICY.CONSENT_REQUIRED`, `POLICY.GUARDIAN_CONSENT_REQUIRED`
 * or `POLICY.TRANSFORM_FAILED` (then nothing half-transformed is returned).
 *
 * @example evaluate(policy, signal, { reporterType: 'care-coordinator', tokens }).data.subject
 */
export function evaluate(policy: Policy, signal: SignalV1Dto, ctx: EvaluationContext): Evaluation {
  const ground = groundFor(policy, signal.purpose, ctx.reporterType);
  const purpose = ground.purpose;
  return guarded(purpose.id, () => {
    const age = subjectAge(signal);
    const consent = decideConsent(ground, purpose.id, signal, age);
    const { releases, ...released } = releaseFields(policy, purpose, signal, ctx, age);
    void releases;
    return {
      purpose: purpose.id,
      dossierType: purpose.dossierType,
      legalGround: ground.legalGround,
      ground: basisOf(ground),
      policyVersion: policy.version,
      keyVersion: ctx.tokens.keyVersion,
      consent,
      retainUntil: addRetention(reportDate(signal.reportedAt), purpose.retention),
      ...released,
    };
  });
}

/**
 * What a purpose releases of a signal, output by output. Used by `evaluate` and `explain`; throws
 * `POLICY.TRANSFORM_FAILED` (or any error, which the callers turn into it) when a transformation fails.
 */
export function releaseFields(
  policy: Policy,
  purpose: PurposePolicy,
  signal: SignalV1Dto,
  ctx: EvaluationContext,
  age: AgeRange | null,
): Pick<Evaluation, 'flags' | 'data' | 'tokens' | 'decisions'> & { releases: Release[] } {
  const releases: Release[] = [];
  const flags = new Set<string>();
  if (!signal.subject?.birthDate) flags.add('age-unknown');
  const data: Record<string, unknown> = {};
  const tokens: LinkageToken[] = [];
  const put = (release: Release) => {
    releases.push(release);
    if (!release.output.startsWith('tokens.')) setPath(data, release.output, release.value);
  };
  const fields = Object.keys(purpose.fields) as SignalField[];
  const rulesOf = (field: SignalField) => purpose.fields[field]!;

  // forward and mask: fields inside arrays keep their element structure
  const arrays = new Map<string, string[]>();
  for (const field of fields) {
    for (const output of rulesOf(field)) {
      if (output.action !== 'forward' && output.action !== 'mask') continue;
      const values = readField(signal, field);
      if (!values.length) continue;
      const arrayAt = field.indexOf('[]');
      if (output.action === 'forward' && arrayAt >= 0) {
        const prefix = field.slice(0, arrayAt);
        arrays.set(prefix, [...(arrays.get(prefix) ?? []), field.slice(arrayAt + 3)]);
        releases.push({ field, rule: 'forward', action: 'forwarded', output: field, value: plain(values) });
        continue;
      }
      const value =
        output.action === 'forward'
          ? plain(values[0])
          : maskValue(String(values[0]), output.first, output.last);
      put({
        field,
        rule: describeOutput(output),
        action: output.action === 'forward' ? 'forwarded' : 'generalised',
        output: field,
        value,
      });
    }
  }
  for (const [prefix, leaves] of arrays) {
    const elements = readField(signal, prefix).flat() as Record<string, unknown>[];
    const projected = elements
      .map((element) =>
        Object.fromEntries(
          leaves.filter((leaf) => element[leaf] != null).map((leaf) => [leaf, plain(element[leaf])]),
        ),
      )
      .filter((element) => Object.keys(element).length > 0);
    setPath(data, prefix, projected);
  }

  // generalise
  for (const field of fields) {
    for (const output of rulesOf(field)) {
      if (output.action !== 'generalise') continue;
      const values = readField(signal, field);
      if (!values.length) continue;
      const value = generalise(output.to, field, values[0], policy, age, flags);
      put({
        field,
        rule: describeOutput(output),
        action: 'generalised',
        output: outputPath(field, output)!,
        value,
      });
    }
  }

  // derived outputs
  for (const id of purpose.derived ?? []) {
    const value = derive(id, purpose, signal, ctx, age, flags);
    if (value === undefined) continue;
    const source = DERIVED_OUTPUTS[id].from[0] ?? null;
    put({
      field: source,
      rule: `derived: ${id}`,
      action: 'generalised',
      output: DERIVED_OUTPUTS[id].output,
      value,
    });
  }

  // pseudonymise: only the subject fields the purpose marks go to the issuer
  const linkageFields = fields.filter(
    (field) =>
      rulesOf(field).some((output) => output.action === 'pseudonymise' && !output.kind) &&
      readField(signal, field).length > 0,
  );
  if (linkageFields.length) {
    const input: LinkageInput = {};
    const marked = (field: SignalField) => linkageFields.includes(field);
    const subject = signal.subject;
    if (marked('subject.givenNames')) input.givenNames = subject.givenNames;
    if (marked('subject.familyName')) input.familyName = subject.familyName;
    if (marked('subject.birthDate')) input.birthDate = subject.birthDate;
    if (marked('subject.sex')) input.sex = subject.sex;
    if (marked('subject.documents[].number')) {
      input.documents = (subject.documents ?? []).map((document) => ({
        type: document.type,
        ...(marked('subject.documents[].country') && document.country ? { country: document.country } : {}),
        number: document.number,
      }));
    }
    const linkage = ctx.tokens.linkageTokens(input);
    tokens.push(...linkage.map(({ kind, value }) => ({ kind, value })));
    if (linkage.length) {
      const value = linkage.map((token) => token.value);
      for (const field of linkageFields) {
        put({ field, rule: 'pseudonymise', action: 'pseudonymised', output: 'tokens.linkage', value });
      }
    }
  }
  for (const field of fields) {
    for (const output of rulesOf(field)) {
      if (output.action !== 'pseudonymise' || !output.kind) continue;
      const value = readField(signal, field)[0];
      if (typeof value !== 'string') continue;
      const token = ctx.tokens.caseToken(value);
      tokens.push({ kind: output.kind, value: token });
      put({
        field,
        rule: describeOutput(output),
        action: 'pseudonymised',
        output: outputPath(field, output)!,
        value: token,
      });
    }
  }

  const decisions: FieldDecision[] = [];
  for (const field of SIGNAL_FIELDS) {
    if (!readField(signal, field).length) continue;
    const own = releases.filter((release) => release.field === field);
    if (!own.length) {
      decisions.push({ field, action: 'dropped' });
      continue;
    }
    const action = own
      .map((release) => release.action)
      .reduce((best, next) => (ACTION_RANK[next] > ACTION_RANK[best] ? next : best));
    decisions.push({ field, action, outputs: [...new Set(own.map((release) => release.output))] });
  }
  return { flags: [...flags], data, tokens, decisions, releases };
}

function generalise(
  to: Extract<FieldOutput, { action: 'generalise' }>['to'],
  field: SignalField,
  value: unknown,
  policy: Policy,
  age: AgeRange | null,
  flags: Set<string>,
): unknown {
  switch (to) {
    case 'birth-year':
      return Number(String(value).slice(0, 4));
    case 'age-band':
      if (age!.min < 18 && age!.max >= 18) flags.add('minor-uncertain');
      return ageBand(age!, policy.ageBands);
    case 'minor-or-adult': {
      const answer = minorOrAdult(age!);
      if (answer === 'minor-uncertain') flags.add('minor-uncertain');
      return answer;
    }
    case 'postcode-area':
      return postcodeArea(String(value), field);
    case 'date':
    case 'month':
      return generaliseDate(String(value), to, field);
    case 'region':
      return countryRegions(value as string[]);
  }
}

function derive(
  id: DerivedOutput,
  purpose: PurposePolicy,
  signal: SignalV1Dto,
  ctx: EvaluationContext,
  age: AgeRange | null,
  flags: Set<string>,
): unknown {
  switch (id) {
    case 'age-at-report':
      if (!age) return undefined;
      if (age.min !== age.max) flags.add('age-uncertain');
      return age.min;
    case 'minor':
      if (!age) return undefined;
      if (minorOrAdult(age) === 'minor-uncertain') flags.add('minor-uncertain');
      return age.min < 18;
    case 'cross-border': {
      const countries = signal.exploitation?.countries;
      return countries?.length ? exploitationScope(countries) : undefined;
    }
    case 'dossier-type':
      return purpose.dossierType;
    case 'contact-point':
      return ctx.reporter?.contactPoint;
  }
}
