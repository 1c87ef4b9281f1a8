import { Inject, type LoggerService } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { evaluate, PolicyError, type Evaluation } from '@ketenpoort/policy';
import { bodyDigest, Pseudonymiser } from '@ketenpoort/pseudonymisation';
import type { RegisterRecord, SignalReceipt } from '@ketenpoort/signal-contract';
import { faultPoint } from '../../../common/fault-point.js';
import { GatewayError } from '../../../common/gateway-error.js';
import { GatewayMetrics } from '../../../common/metrics.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../../../common/tokens.js';
import type { GatewayConfig } from '../../../gateway.config.js';
import { prepareAuditEntry } from '../../../audit/audit-preparation.js';
import { AuditLog } from '../../../audit/infrastructure/audit-log.repository.js';
import { OutboxWorker } from '../../../forwarding/outbox.worker.js';
import { ActiveConfiguration } from '../../../governance/active-configuration.js';
import { IntakeRepository } from '../../infrastructure/intake.repository.js';
import { SubmitSignalCommand, type SubmitSignalResult } from './submit-signal.command.js';

/** sha256 over the RFC 8785 form of a record: what the register's receipt must name. */
export function recordDigest(record: RegisterRecord): string {
  return `sha256:${createHash('sha256').update(canonicalize(record)!).digest('hex')}`;
}

/**
 * Validated signal → purpose check → keyed idempotency check → policy evaluation (pseudonymised with the
 * register's key) → one transaction: signal, outbox row and audit entry. Refusals are audited.
 */
@CommandHandler(SubmitSignalCommand)
export class SubmitSignalHandler implements ICommandHandler<SubmitSignalCommand, SubmitSignalResult> {
  private readonly registerTokens: Pseudonymiser;
  private readonly auditTokens: Pseudonymiser;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly intake: IntakeRepository,
    private readonly auditLog: AuditLog,
    private readonly outbox: OutboxWorker,
    private readonly metrics: GatewayMetrics,
    private readonly active: ActiveConfiguration,
  ) {
    this.registerTokens = new Pseudonymiser(config.keyRing, 'register');
    this.auditTokens = new Pseudonymiser(config.keyRing, 'audit');
  }

  async execute(command: SubmitSignalCommand): Promise<SubmitSignalResult> {
    const { actor, signal, correlationId } = command;
    const { partner } = actor;
    if (!partner.purposes.includes(signal.purpose)) {
      await this.refuse(command, 'POLICY.PURPOSE_NOT_ALLOWED');
      throw new GatewayError(
        'POLICY.PURPOSE_NOT_ALLOWED',
        `this partner may not use purpose '${signal.purpose}'`,
      );
    }

    faultPoint('intake.after-validation');
    const digest = bodyDigest(this.config.keyRing, command.body);
    const existing = await this.intake.find(partner.id, signal.signalId);
    if (existing) return this.replay(existing.bodyDigest, existing.receipt, digest);

    const policy = this.active.policy;
    let evaluation: Evaluation;
    try {
      evaluation = evaluate(policy, signal, {
        reporterType: partner.reporterType,
        tokens: this.registerTokens,
        now: command.receivedAt,
      });
    } catch (error) {
      if (error instanceof PolicyError) {
        await this.refuse(command, error.code);
        throw new GatewayError(error.code, policyMessage(error.code));
      }
      throw error;
    }
    faultPoint('intake.after-pseudonymisation');
    this.compareWithShadow(command, evaluation);

    const recordId = randomUUID();
    const receivedAt = command.receivedAt.toISOString();
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
      tokens: evaluation.tokens,
      data: evaluation.data,
      flags: evaluation.flags,
    };
    const payloadDigest = recordDigest(record);
    const entry = prepareAuditEntry({
      ...this.auditBase(command),
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

    const stored = await this.intake.accept({
      partnerId: partner.id,
      signalId: signal.signalId,
      bodyDigest: digest,
      supersedes: signal.supersedes ?? null,
      keyVersion: evaluation.keyVersion,
      receipt,
      record,
      payloadDigest,
      audit: [entry],
    });
    faultPoint('intake.after-commit');
    if (!stored) {
      const winner = await this.intake.find(partner.id, signal.signalId);
      if (!winner)
        throw new GatewayError('SIGNAL.ID_CONFLICT', 'this signalId is being stored concurrently; retry');
      return this.replay(winner.bodyDigest, winner.receipt, digest);
    }
    this.metrics.increment('signals_total', {
      partner: partner.id,
      purpose: evaluation.purpose,
      outcome: 'accepted',
    });
    this.logger.log({ msg: 'signal accepted', correlationId, partner: partner.id, recordId }, 'Intake');
    this.outbox.wake();
    return { replayed: false, receipt };
  }

  /**
   * Shadow mode: the candidate version is evaluated beside the active one and per-field differences are
   * counted and logged by field name — never values. Only the active version is enforced.
   */
  private compareWithShadow(command: SubmitSignalCommand, enforced: Evaluation): void {
    const shadow = this.active.shadow;
    if (!shadow) return;
    let candidate: Evaluation | null = null;
    let refusal: string | null = null;
    try {
      candidate = evaluate(shadow, command.signal, {
        reporterType: command.actor.partner.reporterType,
        tokens: this.registerTokens,
        now: command.receivedAt,
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
          correlationId: command.correlationId,
          shadowVersion: shadow.version,
          fields: differences,
          refusal,
        },
        'Shadow',
      );
    }
  }

  private replay(storedDigest: string, receipt: SignalReceipt, digest: string): SubmitSignalResult {
    if (storedDigest !== digest) {
      throw new GatewayError(
        'SIGNAL.ID_CONFLICT',
        'this signalId was already used for a signal with other content',
      );
    }
    return { replayed: true, receipt };
  }

  private auditBase(command: SubmitSignalCommand) {
    return {
      at: command.receivedAt.toISOString(),
      correlationId: command.correlationId,
      partnerId: command.actor.partner.id,
      certificateFingerprint: command.actor.certificateFingerprint,
      signalId: command.signal.signalId,
    };
  }

  private async refuse(command: SubmitSignalCommand, reason: string): Promise<void> {
    const { partner } = command.actor;
    this.metrics.increment('signals_total', { partner: partner.id, purpose: 'refused', outcome: reason });
    this.logger.log(
      { msg: 'signal refused', correlationId: command.correlationId, partner: partner.id, reason },
      'Intake',
    );
    await this.auditLog.appendAlone({
      ...this.auditBase(command),
      event: 'signal.refused',
      ...(this.active.policy.purposes.some((p) => p.id === command.signal.purpose)
        ? { purpose: command.signal.purpose }
        : {}),
      policyVersion: this.active.policy.version,
      keyVersion: this.config.keyRing.currentVersion,
      reason,
    });
  }
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
