import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { parsePolicy, type Policy } from '@ketenpoort/policy';
import type { RegisterRecord, RetractionReason } from '@ketenpoort/signal-contract';
import type { AuditEntry } from '@ketenpoort/audit';
import { GatewayError } from '../common/gateway-error.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';
import type { AuthenticatedPartner } from '../partners/authenticated-partner.js';
import {
  ENDED_STATUSES,
  SignalLifecycleRepository,
  type EndOutcome,
  type EndRequest,
  type LifecycleSignal,
} from './infrastructure/signal-lifecycle.repository.js';

/** Who asks, when, under which correlation id (from the request). */
export interface LifecycleActor {
  correlationId: string;
  actor: AuthenticatedPartner;
  at: Date;
}

/** What the partner learns: its ids and the new status — never a value. */
export interface LifecycleAnswer {
  signalId: string;
  recordId: string;
  status: 'retracted' | 'withdrawn';
  reason: string;
  /** The record never left the gateway: its delivery was stopped. */
  deliveryStopped: boolean;
  /** The register is asked (signed) to remove the record; its answer is audited. */
  removalRequested: boolean;
}

const SWEEP_LIMIT = 50;

/** What a signal's `supersedes` resolves to before its record is built. */
export type SupersedesResolution =
  | { kind: 'none' }
  | { kind: 'supersedes'; recordId: string }
  | { kind: 'refuse'; code: string; message: string; details: unknown };

/**
 * The data subject's rights after intake: retraction, correction (supersedes) and withdrawn consent. Each
 * ends the signal in one transaction with its audit entry; a record that did or may have reached the
 * register gets a signed removal request queued for the lifecycle outbox worker.
 */
@Injectable()
export class SignalLifecycle {
  private readonly policies = new Map<string, Policy>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly repository: SignalLifecycleRepository,
    private readonly active: ActiveConfiguration,
  ) {}

  async retract(
    request: LifecycleActor,
    signalId: string,
    reason: RetractionReason,
  ): Promise<LifecycleAnswer> {
    return this.end(
      request,
      signalId,
      { status: 'retracted', reason, removal: 'retracted' },
      'signal.retracted',
    );
  }

  /** Only where the signal rested on consent; otherwise LIFECYCLE.NOT_ON_CONSENT (409). */
  async withdrawConsent(request: LifecycleActor, signalId: string): Promise<LifecycleAnswer> {
    const partnerId = request.actor.partner.id;
    const signal = await this.repository.find(partnerId, signalId);
    if (!signal) throw notFound();
    if (!(await this.restedOnConsent(signal, request.actor.partner.reporterType))) {
      throw new GatewayError(
        'LIFECYCLE.NOT_ON_CONSENT',
        'this signal did not rest on consent (its legal ground needs none); retract it instead',
      );
    }
    return this.end(
      request,
      signalId,
      { status: 'withdrawn', reason: 'consent-withdrawn', removal: 'consent-withdrawn' },
      'signal.consent-withdrawn',
    );
  }

  /**
   * Intake step, before the record is built (single signals and batch lines alike): the record a correction
   * supersedes, given what the intake's batched look-up found under `supersedes`. A `supersedes` that names no
   * signal of this partner, one whose life has ended, or the signal itself is a refusal, which the intake
   * audits like any other.
   */
  resolveSupersedes(
    signal: { signalId: string; supersedes?: string | null },
    target: { recordId: string; status: string } | null,
  ): SupersedesResolution {
    const { supersedes } = signal;
    if (!supersedes) return { kind: 'none' };
    const code = !target
      ? 'SIGNAL.SUPERSEDES_UNKNOWN'
      : (ENDED_STATUSES as readonly string[]).includes(target.status) ||
          supersedes.toLowerCase() === signal.signalId.toLowerCase()
        ? 'SIGNAL.SUPERSEDES_ENDED'
        : null;
    if (!code) return { kind: 'supersedes', recordId: target!.recordId };
    const unknown = code === 'SIGNAL.SUPERSEDES_UNKNOWN';
    return {
      kind: 'refuse',
      code,
      message: unknown
        ? 'supersedes names no signal of this partner'
        : 'supersedes names a signal that was already retracted, withdrawn or superseded',
      details: [{ path: 'supersedes', reasons: [unknown ? 'unknown signal' : 'signal ended'] }],
    };
  }

  /**
   * Intake hook, right after the commit that stored a correction: ends the signal it supersedes (and marks
   * the correction settled in the same transaction). Failures are logged: the lifecycle worker's sweep
   * settles the correction later.
   */
  async onAccepted(accepted: {
    partnerId: string;
    signalId: string;
    supersedes: string | null;
    record: RegisterRecord;
  }): Promise<void> {
    if (!accepted.supersedes) return;
    try {
      await this.supersede({
        partnerId: accepted.partnerId,
        signalId: accepted.signalId,
        supersedes: accepted.supersedes,
        recordId: accepted.record.recordId,
      });
    } catch (error) {
      this.logger.warn(
        {
          msg: 'lifecycle hook failed',
          recordId: accepted.record.recordId,
          errorCode: (error as { code?: string })?.code ?? null,
        },
        'Lifecycle',
      );
    }
  }

  /**
   * Settles corrections the hook missed (crash between commit and hook, or a hook that failed). A correction
   * that was itself ended first is only marked settled: its superseded signal is left alone.
   */
  async settleCorrections(): Promise<void> {
    for (const c of await this.repository.unsettledCorrections(SWEEP_LIMIT)) {
      if ((ENDED_STATUSES as readonly string[]).includes(c.status))
        await this.repository.settleCorrection(c.recordId);
      else await this.supersede(c);
    }
  }

  private get inFlightMs(): number {
    return this.config.outbox.requestTimeoutMs + 1000;
  }

  /** Ends `supersedes` as superseded by the correction (`signalId`, stored as `recordId`). */
  private async supersede(correction: {
    partnerId: string;
    signalId: string;
    supersedes: string;
    recordId: string;
  }): Promise<void> {
    const { partnerId, signalId, supersedes } = correction;
    await this.repository.end({
      partnerId,
      signalId: supersedes,
      status: 'superseded',
      reason: 'superseded',
      removal: 'superseded',
      afterRecordId: correction.recordId,
      inFlightMs: this.inFlightMs,
      audit: (outcome) => ({
        event: 'signal.superseded',
        at: new Date().toISOString(),
        correlationId: outcome.signal.recordId,
        partnerId,
        signalId: supersedes,
        recordId: outcome.signal.recordId,
        purpose: outcome.signal.purpose,
        reason: 'superseded',
        lifecycle: {
          supersededBy: signalId,
          deliveryStopped: outcome.deliveryStopped,
          removalQueued: outcome.removalQueued,
        },
      }),
    });
  }

  private async end(
    request: LifecycleActor,
    signalId: string,
    what: Pick<EndRequest, 'status' | 'reason' | 'removal'>,
    event: AuditEntry['event'],
  ): Promise<LifecycleAnswer> {
    const partnerId = request.actor.partner.id;
    const result = await this.repository.end({
      partnerId,
      signalId,
      ...what,
      inFlightMs: this.inFlightMs,
      audit: (outcome: EndOutcome) => ({
        event,
        at: request.at.toISOString(),
        correlationId: request.correlationId,
        partnerId,
        certificateFingerprint: request.actor.certificateFingerprint,
        signalId,
        recordId: outcome.signal.recordId,
        purpose: outcome.signal.purpose,
        policyVersion: outcome.signal.policyVersion,
        reason: what.reason,
        lifecycle: { deliveryStopped: outcome.deliveryStopped, removalQueued: outcome.removalQueued },
      }),
    });
    if (!result) throw notFound();
    if ('ended' in result) {
      throw new GatewayError('LIFECYCLE.ALREADY_ENDED', `this signal was already ${result.ended}`, [
        { path: 'status', reasons: [result.ended] },
      ]);
    }
    this.logger.log(
      {
        msg: `signal ${what.status}`,
        correlationId: request.correlationId,
        partner: partnerId,
        recordId: result.signal.recordId,
        reason: what.reason,
        deliveryStopped: result.deliveryStopped,
        removalQueued: result.removalQueued,
      },
      'Lifecycle',
    );
    return {
      signalId,
      recordId: result.signal.recordId,
      status: what.status as LifecycleAnswer['status'],
      reason: what.reason,
      deliveryStopped: result.deliveryStopped,
      removalRequested: result.removalQueued,
    };
  }

  /**
   * As stored with the signal at intake (the evaluator's `consent.required`); for a signal stored before the
   * intake wrote it, from the policy version that released the record by the same rule.
   */
  private async restedOnConsent(signal: LifecycleSignal, reporterType: string): Promise<boolean> {
    if (signal.restedOnConsent !== null) return signal.restedOnConsent;
    let policy = this.policies.get(signal.policyVersion);
    if (policy === undefined) {
      const content =
        this.active.policy.version === signal.policyVersion
          ? null
          : await this.repository.policyContent(signal.policyVersion);
      policy =
        content === null ? this.active.policy : parsePolicy(content, `governed:${signal.policyVersion}`);
      this.policies.set(signal.policyVersion, policy);
    }
    const rested = this.groundNeedsConsent(policy, signal.policyVersion, {
      purpose: signal.purpose,
      reporter: { type: reporterType },
    });
    if (rested === null)
      throw new GatewayError('LIFECYCLE.NOT_ON_CONSENT', 'the ground of this signal is unknown');
    await this.repository.setRestedOnConsent(signal.recordId, rested);
    return rested;
  }

  /** `consent.required` as the evaluator decides it: the ground's consent rule is not `none`. */
  private groundNeedsConsent(
    policy: Policy,
    version: string,
    record: { purpose: string; reporter: { type: string } },
  ): boolean | null {
    if (policy.version !== version) return null;
    const ground = policy.purposes.find((p) => p.id === record.purpose)?.grounds[
      record.reporter.type as keyof Policy['purposes'][number]['grounds']
    ];
    if (!ground || typeof ground === 'string') return null;
    return ground.consent !== 'none';
  }
}

function notFound(): GatewayError {
  return new GatewayError('SIGNAL.NOT_FOUND', 'no signal with this id from this partner');
}
