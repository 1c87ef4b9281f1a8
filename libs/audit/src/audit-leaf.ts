import canonicalize from 'canonicalize';
import { AuditError } from './audit.error.js';
import type { AuditEntry } from './audit-entry.js';
import type { AuditRedaction } from './audit-redaction.js';
import { leafHash } from './merkle-hash.js';

/**
 * The leaf data of an entry: its RFC 8785 canonical JSON text (hashed as UTF-8).
 *
 * @example auditLeafText({ event: 'signal.refused', at: '…', correlationId: 'c' })
 */
export function auditLeafText(entry: AuditEntry): string {
  let text: string | undefined;
  try {
    text = canonicalize(entry);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string' || !text.startsWith('{')) {
    throw new AuditError('AUDIT.ENTRY_NOT_SERIALISABLE', 'the audit entry is not a JSON object');
  }
  return text;
}

/**
 * The RFC 6962 leaf hash of an entry — what a partner's receipt carries and the gateway stores per entry.
 *
 * @example auditLeafHash(entry).toString('base64')
 */
export function auditLeafHash(entry: AuditEntry): Buffer {
  return leafHash(auditLeafText(entry));
}

/**
 * An `audit.redaction` entry: appended after a lawful erasure removed the openings of `commitments` from
 * leaf `leafIndex`; the verifier accepts the missing openings only because this entry names them.
 *
 * @example redactionEntry({ leafIndex: 41, commitments: [c], requestReference: 'AVG-2025-7', actors: ['fg-1'] }, { at, correlationId })
 */
export function redactionEntry(
  redaction: AuditRedaction,
  meta: { at: string; correlationId: string; actor?: string },
): AuditEntry {
  if (
    !Number.isSafeInteger(redaction.leafIndex) ||
    redaction.leafIndex < 0 ||
    redaction.commitments.length === 0
  ) {
    throw new AuditError(
      'AUDIT.REDACTION_INVALID',
      'a redaction names a leaf index and at least one commitment',
    );
  }
  return {
    event: 'audit.redaction',
    at: meta.at,
    correlationId: meta.correlationId,
    ...(meta.actor ? { actor: meta.actor } : {}),
    redaction: {
      leafIndex: redaction.leafIndex,
      commitments: [...redaction.commitments],
      requestReference: redaction.requestReference,
      actors: [...redaction.actors],
    },
  };
}
