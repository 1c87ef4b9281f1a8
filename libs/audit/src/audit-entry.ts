import type { FieldDecision } from '@ketenpoort/signal-contract';

/** The kinds of decision the gateway records. */
export const AUDIT_EVENTS = [
  'signal.received',
  'signal.refused',
  'signal.forwarded',
  'signal.delivered',
  'signal.dead-lettered',
  'partner.refused',
  'policy.activated',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/**
 * One audit entry. It names partner, certificate, purpose, legal ground, policy and key versions and,
 * per schema field, the action taken — never a submitted value. A subject appears only as tokens in the
 * audit key domain, never as a register token.
 */
export interface AuditEntry {
  event: AuditEvent;
  at: string;
  correlationId: string;
  partnerId?: string;
  certificateFingerprint?: string;
  signalId?: string;
  recordId?: string;
  purpose?: string;
  legalGround?: string;
  policyVersion?: string;
  keyVersion?: number;
  reason?: string;
  fields?: Pick<FieldDecision, 'field' | 'action'>[];
  flags?: string[];
  subjectTokens?: string[];
  payloadDigest?: string;
  registerReceipt?: { jws: string; receivedAt: string };
  actor?: string;
}

/** An entry as it sits in the chain. */
export interface ChainedAuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
  entry: AuditEntry;
}
