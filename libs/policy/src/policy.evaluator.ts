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
import { PolicyError } from './policy.error.js';
import {
  GENERALISERS,
  LINKAGE_OUTPUT,
  NOT_PERMITTED,
  tokenOutput,
  type FieldOutput,
  type Policy,
  type PurposeGround,
  type PurposePolicy,
} from './policy.model.js';
import type { LinkageInput, TokenIssuer } from './token-issuer.js';

/** Age from which the subject gives consent; below it a parent or guardian does (PRODUCT.md). */
export const CONSENT_AGE = 16;
/** Below this age a subject is a minor (the first age band edge). */
const MINOR_AGE = 18;

export interface EvaluationContext {
  /** From the partner's configuration, never from the signal body. */
  reporterType: ReporterType;
  tokens: TokenIssuer;
  /** Reserved for time-bound rules of later policy versions; the evaluation itself depends only on the signal. */
  now?: Date;
}

/** The outcome of applying a policy to one signal: what leaves, on which ground, and per field what happened. */
export interface Evaluation {
  purpose: string;
  dossierType: string;
  legalGround: string;
  policyVersion: string;
  keyVersion: number;
  consent: { required: boolean; by: ConsentGiver | null };
  /** ISO date: the reportedAt date plus the purpose's retention. */
  retainUntil: string;
  /** `age-unknown` (no birth date), `minor-uncertain` (a partial birth date straddles 18 and the age band was released). */
  flags: string[];
  /** Released values nested by output path. */
  data: Record<string, unknown>;
  tokens: LinkageToken[];
  /** One per field path present in the signal, in SIGNAL_FIELDS order. */
  decisions: FieldDecision[];
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

function decideConsent(
  ground: PurposeGround,
  purpose: string,
  signal: SignalV1Dto,
  age: { min: number; max: number } | null,
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

interface FieldResult {
  outputs: string[];
  actions: FieldAction[];
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
  const reported = reportDate(signal.reportedAt);
  const birthDate = signal.subject?.birthDate;
  const age = birthDate ? ageAtReport(birthDate, signal.reportedAt) : null;
  const consent = decideConsent(ground, purpose.id, signal, age);
  try {
    return release(policy, purpose, signal, ctx, age, {
      purpose: purpose.id,
      dossierType: purpose.dossierType,
      legalGround: ground.legalGround,
      policyVersion: policy.version,
      keyVersion: ctx.tokens.keyVersion,
      consent,
      retainUntil: addRetention(reported, purpose.retention),
    });
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    // The cause may quote a submitted value; only its type is kept.
    throw new PolicyError(
      'POLICY.TRANSFORM_FAILED',
      `purpose '${purpose.id}': a transformation failed (${(error as Error)?.name ?? 'error'})`,
    );
  }
}

function release(
  policy: Policy,
  purpose: PurposePolicy,
  signal: SignalV1Dto,
  ctx: EvaluationContext,
  age: { min: number; max: number } | null,
  head: Omit<Evaluation, 'flags' | 'data' | 'tokens' | 'decisions'>,
): Evaluation {
  const fieldsOf = (action: FieldOutput['action']) =>
    (Object.keys(purpose.fields) as SignalField[]).filter((field) =>
      purpose.fields[field]!.some((output) => output.action === action && !('kind' in output && output.kind)),
    );
  const results = new Map<SignalField, FieldResult>();
  const record = (field: SignalField, action: FieldAction, output: string) => {
    const result = results.get(field) ?? { outputs: [], actions: [] };
    result.outputs.push(output);
    result.actions.push(action);
    results.set(field, result);
  };
  const flags: string[] = [];
  if (!signal.subject?.birthDate) flags.push('age-unknown');
  const data: Record<string, unknown> = {};
  const tokens: LinkageToken[] = [];

  // forward: leaves as is; fields inside arrays keep their element structure
  const arrays = new Map<string, string[]>();
  for (const field of fieldsOf('forward')) {
    const values = readField(signal, field);
    if (!values.length) continue;
    const arrayAt = field.indexOf('[]');
    if (arrayAt < 0) {
      setPath(data, field, plain(values[0]));
    } else {
      const prefix = field.slice(0, arrayAt);
      arrays.set(prefix, [...(arrays.get(prefix) ?? []), field.slice(arrayAt + 3)]);
    }
    record(field, 'forwarded', field);
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
  for (const field of fieldsOf('generalise')) {
    const value = readField(signal, field)[0];
    if (typeof value !== 'string') continue;
    for (const output of purpose.fields[field]!) {
      if (output.action !== 'generalise') continue;
      const target = GENERALISERS[output.to].output;
      if (output.to === 'birth-year') setPath(data, target, Number(value.slice(0, 4)));
      if (output.to === 'age-band') {
        const band = ageBand(age!, policy.ageBands);
        setPath(data, target, band);
        if (age!.min < MINOR_AGE && age!.max >= MINOR_AGE) flags.push('minor-uncertain');
      }
      record(field, 'generalised', target);
    }
  }

  // pseudonymise: only the subject fields the purpose marks go to the issuer
  const linkageFields = fieldsOf('pseudonymise').filter((field) => readField(signal, field).length > 0);
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
    if (linkage.length) for (const field of linkageFields) record(field, 'pseudonymised', LINKAGE_OUTPUT);
  }
  for (const field of Object.keys(purpose.fields) as SignalField[]) {
    for (const output of purpose.fields[field]!) {
      if (output.action !== 'pseudonymise' || !output.kind) continue;
      const value = readField(signal, field)[0];
      if (typeof value !== 'string') continue;
      tokens.push({ kind: output.kind, value: ctx.tokens.caseToken(value) });
      record(field, 'pseudonymised', tokenOutput(output.kind));
    }
  }

  const decisions: FieldDecision[] = [];
  for (const field of SIGNAL_FIELDS) {
    if (!readField(signal, field).length) continue;
    const result = results.get(field);
    if (!result) {
      decisions.push({ field, action: 'dropped' });
      continue;
    }
    const action = result.actions.reduce((best, next) =>
      ACTION_RANK[next] > ACTION_RANK[best] ? next : best,
    );
    decisions.push({ field, action, outputs: result.outputs });
  }
  return { ...head, flags, data, tokens, decisions };
}
