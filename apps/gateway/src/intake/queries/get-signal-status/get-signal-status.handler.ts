import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { SignalStatus } from '@ketenpoort/signal-contract';
import { GatewayError } from '../../../common/gateway-error.js';
import { AuditLog } from '../../../audit/infrastructure/audit-log.repository.js';
import { IntakeRepository } from '../../infrastructure/intake.repository.js';
import { GetSignalStatusQuery } from './get-signal-status.query.js';
import type { SignalStatusResponseDto } from './signal-status.response.dto.js';

@QueryHandler(GetSignalStatusQuery)
export class GetSignalStatusHandler implements IQueryHandler<GetSignalStatusQuery, SignalStatusResponseDto> {
  constructor(
    private readonly intake: IntakeRepository,
    private readonly auditLog: AuditLog,
  ) {}

  async execute(query: GetSignalStatusQuery): Promise<SignalStatusResponseDto> {
    const stored = await this.intake.find(query.partnerId, query.signalId);
    // Another partner's signal id is indistinguishable from an unknown one.
    if (!stored) throw new GatewayError('SIGNAL.NOT_FOUND', 'no signal with this id from this partner');
    const entry = await this.auditLog.receivedEntry(query.partnerId, query.signalId);
    return {
      signalId: query.signalId,
      recordId: stored.recordId,
      status: deriveStatus(stored.status, stored.outboxState, stored.outboxAttempts),
      purpose: stored.receipt.purpose,
      policyVersion: stored.receipt.policyVersion,
      receivedAt: stored.receipt.receivedAt,
      deliveryAttempts: stored.outboxAttempts ?? 0,
      ...(entry ? { auditIndex: entry.idx, auditLeafHash: entry.leafHash.toString('base64') } : {}),
    };
  }
}

function deriveStatus(status: string, outboxState: string | null, attempts: number): SignalStatus {
  // A signal whose life ended (lifecycle/) says so, whatever became of its delivery.
  if (status === 'retracted' || status === 'superseded' || status === 'withdrawn') return status;
  if (outboxState === 'delivered') return 'delivered';
  if (outboxState === 'dead') return 'dead-lettered';
  if (status === 'accepted' && attempts > 0) return 'delivering';
  return status as SignalStatus;
}
