import type { ReporterType, SignalStatus } from './signal.enums.js';

/** What happened to one schema field of a signal. */
export type FieldAction = 'forwarded' | 'pseudonymised' | 'generalised' | 'dropped';

export interface FieldDecision {
  field: string;
  action: FieldAction;
  /** Output paths at the register this field produced (for example `subject.birthYear`). */
  outputs?: string[];
}

/** A keyed pseudonym as the register receives it: `v<keyVersion>.<recipient>.<kind>.<base32>`. */
export interface LinkageToken {
  kind: string;
  value: string;
}

/** The record the gateway forwards to the register (the `record` claim of the signed JWS). */
export interface RegisterRecord {
  recordId: string;
  correlationId: string;
  reporter: { organisation: string; type: ReporterType };
  purpose: string;
  dossierType: string;
  legalGround: string;
  policyVersion: string;
  keyVersion: number;
  reportedAt: string;
  receivedAt: string;
  retainUntil?: string;
  /** A correction: the record (of the same partner) this one replaces; the register removes it. */
  supersedesRecordId?: string;
  tokens: LinkageToken[];
  /** Released fields, nested by output path. */
  data: Record<string, unknown>;
  flags: string[];
}

/** The 202 answer to a partner: ids, statuses and field names — never a token or a submitted value. */
export interface SignalReceipt {
  signalId: string;
  recordId: string;
  status: SignalStatus;
  purpose: string;
  legalGround: string;
  policyVersion: string;
  receivedAt: string;
  correlationId: string;
  flags: string[];
  fields: FieldDecision[];
  /** RFC 6962 leaf hash (base64) of the audit entry of this decision: with its index, provable in the log. */
  auditLeafHash?: string;
}

/** The register's signed answer to a delivery (claims of its JWS). */
export interface RegisterReceiptClaims {
  recordId: string;
  payloadDigest: string;
  receivedAt: string;
}

/** JWS `typ` values, so that one kind of signed object cannot be replayed as another. */
export const JWS_TYPES = {
  record: 'ketenpoort-record+jws',
  registerReceipt: 'ketenpoort-register-receipt+jws',
} as const;
