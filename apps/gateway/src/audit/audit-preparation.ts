import {
  auditLeafText,
  commitSubjects,
  leafHash,
  type AuditEntry,
  type SubjectOpening,
} from '@ketenpoort/audit';

/** An entry ready to append: its leaf text and hash are fixed before any index is known. */
export interface PreparedAuditEntry {
  entry: AuditEntry;
  text: string;
  leafHash: Buffer;
  openings: SubjectOpening[];
}

/**
 * Turns an entry's audit-domain subject tokens into salted commitments inside the leaf; the tokens and
 * salts travel beside it (stored apart, so a lawful erasure can remove them while every proof stays valid).
 */
export function prepareAuditEntry(input: AuditEntry | PreparedAuditEntry): PreparedAuditEntry {
  if ('leafHash' in input && Buffer.isBuffer(input.leafHash)) return input as PreparedAuditEntry;
  const { subjectTokens, ...rest } = input as AuditEntry;
  let entry: AuditEntry = rest;
  let openings: SubjectOpening[] = [];
  if (subjectTokens?.length) {
    const committed = commitSubjects(subjectTokens);
    entry = { ...rest, subjectCommitments: committed.commitments };
    openings = committed.openings;
  }
  const text = auditLeafText(entry);
  return { entry, text, leafHash: leafHash(text), openings };
}
