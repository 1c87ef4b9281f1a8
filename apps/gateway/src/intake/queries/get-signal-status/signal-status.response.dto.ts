import type { SignalStatus } from '@ketenpoort/signal-contract';

/** What a partner learns about its signal: ids and status, never a token or a value. */
export interface SignalStatusResponseDto {
  signalId: string;
  recordId: string;
  status: SignalStatus;
  purpose: string;
  policyVersion: string;
  receivedAt: string;
  deliveryAttempts: number;
  /** Index of the audit entry that recorded this signal's intake, once integrated in the log. */
  auditIndex?: number;
  auditLeafHash?: string;
}
