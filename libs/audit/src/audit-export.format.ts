import type { JSONWebKeySet } from 'jose';
import type { AuditEntry } from './audit-entry.js';
import { auditLeafText } from './audit-leaf.js';
import type { SubjectOpening } from './subject-commitment.js';

/** File names inside an export directory. */
export const AUDIT_EXPORT_FILES = {
  entries: 'entries.jsonl',
  checkpoints: 'checkpoints.jsonl',
  keys: 'keys.json',
} as const;

/**
 * One entry of the log as exported. `openings` is aligned with `entry.subjectCommitments`; `null` marks an
 * opening erased under a redaction. `leafHash` (base64) is the hash the gateway stored, so an edit that
 * did not also rewrite it is named at its exact index.
 */
export interface ExportedEntry {
  index: number;
  entry: AuditEntry;
  leafHash?: string;
  openings?: (SubjectOpening | null)[];
}

/** One checkpoint line: the operator's JWS and the witnesses' cosignatures. */
export interface ExportedCheckpoint {
  checkpoint: string;
  cosignatures: string[];
}

/** keys.json: the public keys of the operator (checkpoint signers) and of the witnesses. */
export interface AuditKeys {
  signers: JSONWebKeySet;
  witnesses: JSONWebKeySet;
}

/**
 * The exact line an entry is exported as: `{"index":…,"leafHash":…,"openings":…,"entry":<canonical>}`.
 * `entry` comes last and verbatim in RFC 8785 form, so the verifier hashes the line's tail without
 * re-serialising; any other member order is still accepted, on a slower path.
 *
 * @example formatEntryLine({ index: 0, entry }) // '{"index":0,"entry":{…}}'
 */
export function formatEntryLine(exported: ExportedEntry, leafText = auditLeafText(exported.entry)): string {
  let line = `{"index":${exported.index}`;
  if (exported.leafHash !== undefined) line += `,"leafHash":${JSON.stringify(exported.leafHash)}`;
  if (exported.openings !== undefined && exported.openings.length > 0) {
    line += `,"openings":${JSON.stringify(exported.openings.map((o) => (o ? { token: o.token, salt: o.salt } : null)))}`;
  }
  return `${line},"entry":${leafText}}`;
}
