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
  'signal.retracted',
  'signal.superseded',
  'signal.consent-withdrawn',
  'register.record-removed',
  'register.retention-deleted',
  'audit.erasure-requested',
  'audit.subject-lookup',
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
  /** Only on the data life-cycle events (retraction, correction, withdrawal, removal, retention, erasure). */
  lifecycle?: AuditLifecycle;
  /** Only on `audit.subject-lookup`: the subject-access request's short reference (never identifiers). */
  requestReference?: string;
  /** Only on `audit.subject-lookup`: how many entries the lookup returned. */
  matches?: number;
  /** Only on `audit.subject-lookup`: the partner scope of the officer's token (absent = unscoped). */
  scope?: string[];
}

/** An entry as it sits in the chain. */
export interface ChainedAuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
  entry: AuditEntry;
}

/** Details of a data life-cycle event: codes, ids, grounds and counts — never a submitted value. */
export interface AuditLifecycle {
  /** Pending delivery was stopped before the record reached the register. */
  deliveryStopped?: boolean;
  /** A signed removal request to the register was queued. */
  removalQueued?: boolean;
  /** The correcting signal (on `signal.superseded`). */
  supersededBy?: string;
  /** The register's answer: was the record held and removed; which grounds still cover the person. */
  removed?: boolean;
  keptGrounds?: { purpose: string; reporterType: string; legalGround: string }[];
  /** Retention: what one run of the register's job deleted, per purpose. */
  deleted?: { purpose: string; count: number }[];
  reportId?: string;
  /** The register's signed answer or report, as received. */
  registerJws?: string;
  /** Erasure: the request and the leaves it names. */
  erasureId?: string;
  leafIndexes?: number[];
}
