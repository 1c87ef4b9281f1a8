import type { FieldDecision } from '@ketenpoort/signal-contract';
import type { AuditRedaction } from './audit-redaction.js';

/** The kinds of decision the gateway records. */
export const AUDIT_EVENTS = [
  'signal.received',
  'signal.refused',
  'signal.forwarded',
  'signal.delivered',
  'signal.dead-lettered',
  'partner.refused',
  'policy.activated',
  'audit.redaction',
  'governance.proposed',
  'governance.shadowed',
  'governance.activated',
  'governance.rejected',
  'governance.bootstrapped',
  'policy.explained',
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
  /** Salted commitments to the subject's audit-domain tokens; the openings are stored beside the leaf. */
  subjectCommitments?: string[];
  /** Only on `audit.redaction` entries. */
  redaction?: AuditRedaction;
  partnersVersion?: string;
}

/** An entry as it sits in the chain. */
export interface ChainedAuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
  entry: AuditEntry;
}
