import {
  SIGNAL_FIELDS,
  readField,
  type FieldAction,
  type ReporterType,
  type SignalField,
  type SignalV1Dto,
} from '@ketenpoort/signal-contract';
import { addRetention, reportDate } from './age-at-report.js';
import type { LegalBasis } from './legal-ground.js';
import { PolicyError, type PolicyErrorCode } from './policy.error.js';
import {
  decideConsent,
  groundFor,
  guarded,
  releaseFields,
  subjectAge,
  type Evaluation,
  type EvaluationContext,
  type Release,
} from './policy.evaluator.js';
import { basisOf, describeOutput } from './policy.linter.js';
import type { ConsentRule, Policy, PurposeGround, PurposePolicy } from './policy.model.js';

/** One field of a sample signal under a purpose: the rule that matched and what it produced. */
export interface FieldExplanation {
  field: SignalField;
  present: boolean;
  /** Line of the field's rule in the policy file; null when no rule names it (default deny). */
  line: number | null;
  /** The rule as written (`pseudonymise, { generalise: birth-year }`), or the default-deny note. */
  rule: string;
  /** What happened to the field; `absent` when the sample does not hold it. */
  action: FieldAction | 'absent';
  /** Each output the rule produced, with its value (tokens under the caller's — dry-run — issuer). */
  outputs: { rule: string; output: string; value: unknown }[];
}

/** The dry run of one sample signal: ground, consent, and per field and derived output what would leave. */
export interface Explanation {
  policyVersion: string;
  destination: string;
  purpose: string;
  reporterType: ReporterType;
  keyVersion: number;
  outcome: 'released' | 'refused';
  /** Why the signal would be refused (field names only, never values). */
  refusal?: { code: PolicyErrorCode; message: string; field?: string };
  legalGround: string | null;
  ground: LegalBasis | null;
  consent: { rule: ConsentRule; required: boolean; by: string | null } | null;
  flags: string[];
  fields: FieldExplanation[];
  derived: { rule: string; output: string; value: unknown; line: number | null }[];
  /** What `evaluate` returns for the sample; null when refused. */
  evaluation: Evaluation | null;
}

const DEFAULT_DENY = 'not listed: dropped (default deny)';

const refusalOf = (error: PolicyError) => ({
  code: error.code,
  message: error.message,
  ...(error.field ? { field: error.field } : {}),
});

/**
 * Explains what a policy does with a sample signal for a reporter type: per field the rule that matched and
 * the resulting values. Never throws a policy refusal: it is reported in `refusal`, and for a consent refusal
 * the fields still show what would leave once consent is given. Pass a dry-run token issuer, never the
 * production one: an integrator must not be able to test guessed identities against register tokens.
 *
 * @example explain(policy, signal, { reporterType: 'police', tokens: dryRunPseudonymiser }).fields
 */
export function explain(policy: Policy, signal: SignalV1Dto, ctx: EvaluationContext): Explanation {
  const head = {
    policyVersion: policy.version,
    destination: policy.destination,
    purpose: signal.purpose,
    reporterType: ctx.reporterType,
    keyVersion: ctx.tokens.keyVersion,
  };
  let ground: PurposeGround & { purpose: PurposePolicy };
  try {
    ground = groundFor(policy, signal.purpose, ctx.reporterType);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return {
      ...head,
      outcome: 'refused',
      refusal: refusalOf(error),
      legalGround: null,
      ground: null,
      consent: null,
      flags: [],
      fields: SIGNAL_FIELDS.map((field) => explainField(field, signal, undefined, null)),
      derived: [],
      evaluation: null,
    };
  }
  const purpose = ground.purpose;
  let refusal: Explanation['refusal'];
  let consent: Evaluation['consent'] | null = null;
  let released: ReturnType<typeof releaseFields> | null = null;
  let retainUntil = '';
  try {
    guarded(purpose.id, () => {
      const age = subjectAge(signal);
      try {
        consent = decideConsent(ground, purpose.id, signal, age);
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        refusal = refusalOf(error);
      }
      released = releaseFields(policy, purpose, signal, ctx, age);
      retainUntil = addRetention(reportDate(signal.reportedAt), purpose.retention);
    });
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    refusal = refusalOf(error);
    released = null;
  }
  const result = released as ReturnType<typeof releaseFields> | null;
  const decided = consent as Evaluation['consent'] | null;
  const releases = result?.releases ?? [];
  const evaluation: Evaluation | null =
    result && decided && !refusal
      ? {
          purpose: purpose.id,
          dossierType: purpose.dossierType,
          legalGround: ground.legalGround,
          ground: basisOf(ground),
          policyVersion: policy.version,
          keyVersion: ctx.tokens.keyVersion,
          consent: decided,
          retainUntil,
          flags: result.flags,
          data: result.data,
          tokens: result.tokens,
          decisions: result.decisions,
        }
      : null;
  return {
    ...head,
    outcome: refusal ? 'refused' : 'released',
    ...(refusal ? { refusal } : {}),
    legalGround: ground.legalGround,
    ground: basisOf(ground),
    consent: {
      rule: ground.consent,
      required: ground.consent === 'required',
      by: decided?.by ?? null,
    },
    flags: result?.flags ?? [],
    fields: SIGNAL_FIELDS.map((field) => explainField(field, signal, purpose, result ? releases : null)),
    derived: releases
      .filter((release) => release.rule.startsWith('derived: '))
      .map(({ rule, output, value }) => ({ rule, output, value, line: purpose.lines?.derived ?? null })),
    evaluation,
  };
}

function explainField(
  field: SignalField,
  signal: SignalV1Dto,
  purpose: PurposePolicy | undefined,
  releases: Release[] | null,
): FieldExplanation {
  const present = readField(signal, field).length > 0;
  const rules = purpose?.fields[field];
  const own = (releases ?? []).filter(
    (release) => release.field === field && !release.rule.startsWith('derived: '),
  );
  const actions = own.map((release) => release.action);
  const rank: FieldAction[] = ['dropped', 'pseudonymised', 'generalised', 'forwarded'];
  const action: FieldExplanation['action'] = !present
    ? 'absent'
    : actions.reduce<FieldAction>(
        (best, next) => (rank.indexOf(next) > rank.indexOf(best) ? next : best),
        'dropped',
      );
  return {
    field,
    present,
    line: purpose?.lines?.fields[field] ?? null,
    rule: rules ? rules.map(describeOutput).join(', ') : DEFAULT_DENY,
    action,
    outputs: own.map(({ rule, output, value }) => ({ rule, output, value })),
  };
}
