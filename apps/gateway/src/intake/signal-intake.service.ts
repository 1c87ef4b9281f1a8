import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEntry } from '@ketenpoort/audit';
import { evaluate, PolicyError, type Evaluation } from '@ketenpoort/policy';
import { bodyDigest, Pseudonymiser } from '@ketenpoort/pseudonymisation';
import type { RegisterRecord, SignalReceipt, SignalV1Dto } from '@ketenpoort/signal-contract';
import { prepareAuditEntry } from '../audit/audit-preparation.js';
import { faultPoint } from '../common/fault-point.js';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayMetrics } from '../common/metrics.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../common/tokens.js';
import { OutboxWorker } from '../forwarding/outbox.worker.js';
import type { GatewayConfig } from '../gateway.config.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';
import type { AuthenticatedPartner } from '../partners/authenticated-partner.js';
import type { Acceptance } from './infrastructure/intake.repository.js';
import { IntakeCommitter } from './infrastructure/intake.committer.js';
import { SignalLifecycle } from '../lifecycle/signal-lifecycle.service.js';

/** sha256 over the RFC 8785 form of a record: what the register's receipt must name. */
export function recordDigest(record: RegisterRecord): string {
  return `sha256:${createHash('sha256').update(canonicalize(record)!).digest('hex')}`;
}

/** One validated signal as it arrived (single request or one batch line). */
export interface IntakeInput {
  correlationId: string;
  actor: AuthenticatedPartner;
  receivedAt: Date;
  signal: SignalV1Dto;
  /** The validated body as parsed JSON; only its keyed digest is kept. */
  body: unknown;
  /** A correction: the record of the signal it supersedes (lifecycle/ resolves it before `decide`). */
  supersedesRecordId?: string;
}

export interface IntakeOutcome {
  replayed: boolean;
  receipt: SignalReceipt;
}

/** The decision on a signal before anything is stored: accept (with what to store) or refuse (audited). */
export type IntakeDecision =
  | { kind: 'accept'; acceptance: Acceptance }
  | { kind: 'refuse'; code: string; message: string; audit: AuditEntry };

/**
 * The intake path shared by `POST /v1/signals` and `POST /v1/signals/batch`: purpose check → keyed
 * idempotency check and correction (`supersedes`) check → policy evaluation (pseudonymised with the
 * register's key) → group commit of signal, outbox row and audit entry → a correction ends the signal it
 * supersedes. Refusals are audited. `decide` is the pure part; `submit` adds the look-ups, the commit and
 * the correction's hook, and is answered only after them.
 */
@Injectable()
export class SignalIntake {
  private readonly registerTokens: Pseudonymiser;
  private readonly auditTokens: Pseudonymiser;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly committer: IntakeCommitter,
    private readonly outbox: OutboxWorker,
    private readonly metrics: GatewayMetrics,
    private readonly active: ActiveConfiguration,
    private readonly lifecycle: SignalLifecycle,
  ) {
    this.registerTokens = new Pseudonymiser(config.keyRing, 'register');
    this.auditTokens = new Pseudonymiser(config.keyRing, 'audit');
  }

  /** Throws GatewayError for a refusal (after auditing it) and for an id used with other content. */
  async submit(input: IntakeInput): Promise<IntakeOutcome> {
    const { actor, signal } = input;
    const { partner } = actor;
    if (!partner.purposes.includes(signal.purpose)) {
      return this.refuse(
        input,
        'POLICY.PURPOSE_NOT_ALLOWED',
        `this partner may not use purpose '${signal.purpose}'`,
      );
    }
    faultPoint('intake.after-validation');
    const digest = bodyDigest(this.config.keyRing, input.body);
    // The idempotency and the correction look-ups share the committer's batched queries.
    const [existing, target] = await Promise.all([
      this.committer.find(partner.id, signal.signalId),
      signal.supersedes ? this.committer.find(partner.id, signal.supersedes) : null,
    ]);
    if (existing) return replay(existing.bodyDigest, existing.receipt, digest);

    const supersedes = this.lifecycle.resolveSupersedes(signal, target);
    if (supersedes.kind === 'refuse')
      return this.refuse(input, supersedes.code, supersedes.message, undefined, supersedes.details);
    const supersedesRecordId = supersedes.kind === 'supersedes' ? supersedes.recordId : undefined;
    const decision = this.decide({ ...input, supersedesRecordId }, digest);
    if (decision.kind === 'refuse')
      return this.refuse(input, decision.code, decision.message, decision.audit);
    faultPoint('intake.after-pseudonymisation');
    const { acceptance } = decision;
    const stored = await this.committer.commit({ kind: 'accept', acceptance });
    faultPoint('intake.after-commit');
    if (!stored) {
      const winner = await this.committer.find(partner.id, signal.signalId);
      if (!winner)
        throw new GatewayError('SIGNAL.ID_CONFLICT', 'this signalId is being stored concurrently; retry');
      return replay(winner.bodyDigest, winner.receipt, digest);
    }
    this.metrics.increment('signals_total', {
      partner: partner.id,
      purpose: acceptance.receipt.purpose,
      outcome: 'accepted',
    });
    this.logger.log(
      {
        msg: 'signal accepted',
        correlationId: input.correlationId,
        partner: partner.id,
        recordId: acceptance.record.recordId,
      },
      'Intake',
    );
    this.outbox.wake();
    // A correction ends the signal it supersedes right after its own commit.
    await this.lifecycle.onAccepted(acceptance);
    return { replayed: false, receipt: acceptance.receipt };
  }

  /**
   * The pure step: policy evaluation, the register record, its audit entry and the receipt — nothing is
   * stored. Also compares with the shadow policy (counted by field name).
   */
  decide(input: IntakeInput, digest: string): IntakeDecision {
    const { actor, signal, correlationId } = input;
    const { partner } = actor;
    let evaluation: Evaluation;
    try {
      evaluation = evaluate(this.active.policy, signal, {
        reporterType: partner.reporterType,
        tokens: this.registerTokens,
        now: input.receivedAt,
      });
    } catch (error) {
      if (error instanceof PolicyError) {
        return {
          kind: 'refuse',
          code: error.code,
          message: policyMessage(error.code),
          audit: this.refusal(input, error.code),
        };
      }
      throw error;
    }
    this.compareWithShadow(input, evaluation);

    const recordId = randomUUID();
    const receivedAt = input.receivedAt.toISOString();
    const record: RegisterRecord = {
      recordId,
      correlationId,
      reporter: { organisation: partner.id, type: partner.reporterType },
      purpose: evaluation.purpose,
      dossierType: evaluation.dossierType,
      legalGround: evaluation.legalGround,
      policyVersion: evaluation.policyVersion,
      keyVersion: evaluation.keyVersion,
      reportedAt: releasedReportedAt(evaluation, receivedAt),
      receivedAt,
      retainUntil: evaluation.retainUntil,
      ...(input.supersedesRecordId ? { supersedesRecordId: input.supersedesRecordId } : {}),
      tokens: evaluation.tokens,
      data: evaluation.data,
      flags: evaluation.flags,
    };
    const payloadDigest = recordDigest(record);
    const entry = prepareAuditEntry({
      ...auditBase(input),
      event: 'signal.received',
      recordId,
      purpose: evaluation.purpose,
      legalGround: evaluation.legalGround,
      policyVersion: evaluation.policyVersion,
      keyVersion: evaluation.keyVersion,
      fields: evaluation.decisions.map(({ field, action }) => ({ field, action })),
      flags: evaluation.flags,
      subjectTokens: this.auditTokens.subjectTokens(signal.subject ?? {}),
      payloadDigest,
    });
    const receipt: SignalReceipt = {
      signalId: signal.signalId,
      recordId,
      status: 'accepted',
      purpose: evaluation.purpose,
      legalGround: evaluation.legalGround,
      policyVersion: evaluation.policyVersion,
      receivedAt,
      correlationId,
      flags: evaluation.flags,
      fields: evaluation.decisions,
      auditLeafHash: entry.leafHash.toString('base64'),
    };
    return {
      kind: 'accept',
      acceptance: {
        partnerId: partner.id,
        signalId: signal.signalId,
        bodyDigest: digest,
        supersedes: signal.supersedes ?? null,
        // The evaluator's rule for the ground that released the record (ground consent rule not `none`).
        restedOnConsent: evaluation.consent.required,
        keyVersion: evaluation.keyVersion,
        receipt,
        record,
        payloadDigest,
        audit: [entry],
      },
    };
  }

  /**
   * Shadow mode: the candidate version is evaluated beside the active one and per-field differences are
   * counted and logged by field name — never values. Only the active version is enforced.
   */
  private compareWithShadow(input: IntakeInput, enforced: Evaluation): void {
    const shadow = this.active.shadow;
    if (!shadow) return;
    let candidate: Evaluation | null = null;
    let refusal: string | null = null;
    try {
      candidate = evaluate(shadow, input.signal, {
        reporterType: input.actor.partner.reporterType,
        tokens: this.registerTokens,
        now: input.receivedAt,
      });
    } catch (error) {
      refusal = error instanceof PolicyError ? error.code : 'POLICY.TRANSFORM_FAILED';
    }
    const differences = candidate ? fieldDifferences(enforced, candidate) : ['*refused*'];
    for (const field of differences) {
      this.metrics.increment('policy_shadow_differences_total', {
        version: shadow.version.slice(0, 12),
        field,
      });
    }
    this.metrics.increment('policy_shadow_evaluations_total', { version: shadow.version.slice(0, 12) });
    if (differences.length) {
      this.logger.log(
        {
          msg: 'shadow policy differs',
          correlationId: input.correlationId,
          shadowVersion: shadow.version,
          fields: differences,
          refusal,
        },
        'Shadow',
      );
    }
  }

  private refusal(input: IntakeInput, reason: string): AuditEntry {
    return {
      ...auditBase(input),
      event: 'signal.refused',
      ...(this.active.policy.purposes.some((p) => p.id === input.signal.purpose)
        ? { purpose: input.signal.purpose }
        : {}),
      policyVersion: this.active.policy.version,
      keyVersion: this.config.keyRing.currentVersion,
      reason,
    };
  }

  /** Audits the refusal (in a shared group commit), then throws it. */
  private async refuse(
    input: IntakeInput,
    code: string,
    message: string,
    audit?: AuditEntry,
    details?: unknown,
  ): Promise<never> {
    const { partner } = input.actor;
    this.metrics.increment('signals_total', { partner: partner.id, purpose: 'refused', outcome: code });
    this.logger.log(
      { msg: 'signal refused', correlationId: input.correlationId, partner: partner.id, reason: code },
      'Intake',
    );
    try {
      await this.committer.commit({ kind: 'audit', entry: audit ?? this.refusal(input, code) });
    } catch (error) {
      throw new GatewayError(
        'AUDIT.WRITE_FAILED',
        'the decision could not be audited; nothing was accepted',
        {
          cause: (error as { code?: string })?.code ?? null,
        },
      );
    }
    throw new GatewayError(code, message, details);
  }
}

function replay(storedDigest: string, receipt: SignalReceipt, digest: string): IntakeOutcome {
  if (storedDigest !== digest) {
    throw new GatewayError(
      'SIGNAL.ID_CONFLICT',
      'this signalId was already used for a signal with other content',
    );
  }
  return { replayed: true, receipt };
}

function auditBase(input: IntakeInput) {
  return {
    at: input.receivedAt.toISOString(),
    correlationId: input.correlationId,
    partnerId: input.actor.partner.id,
    certificateFingerprint: input.actor.certificateFingerprint,
    signalId: input.signal.signalId,
  };
}

/** Schema fields whose action or outputs differ between two evaluations. */
function fieldDifferences(a: Evaluation, b: Evaluation): string[] {
  const key = (d: { action: string; outputs?: string[] }) => `${d.action}:${(d.outputs ?? []).join(',')}`;
  const before = new Map(a.decisions.map((d) => [d.field, key(d)]));
  const after = new Map(b.decisions.map((d) => [d.field, key(d)]));
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((field) => before.get(field) !== after.get(field))
    .sort();
}

function releasedReportedAt(evaluation: Evaluation, receivedAt: string): string {
  const released = evaluation.data.reportedAt;
  return typeof released === 'string' ? released : receivedAt.slice(0, 10);
}

function policyMessage(code: string): string {
  switch (code) {
    case 'POLICY.CONSENT_REQUIRED':
      return 'this purpose needs the consent of the subject (or a guardian) for this reporter type';
    case 'POLICY.GUARDIAN_CONSENT_REQUIRED':
      return 'the subject may be under 16: consent must be given by a parent or guardian';
    case 'POLICY.NO_GROUND':
      return 'the active policy gives this reporter type no legal ground for this purpose';
    case 'POLICY.PURPOSE_UNKNOWN':
      return 'the active policy does not know this purpose';
    default:
      return 'the active policy could not transform this signal; nothing was forwarded';
  }
}
