import type { AuditEntry } from '@ketenpoort/audit';
import type { ReviewedEntryRow } from '../../infrastructure/audit-review.repository.js';

/** One entry as the review API answers it: never the subject openings (tokens and salts). */
export interface ReviewedEntryResponse {
  idx: number;
  leafHash: string;
  entry: AuditEntry;
}

export function toReviewedEntry(row: ReviewedEntryRow): ReviewedEntryResponse {
  return { idx: row.idx, leafHash: row.leafHash, entry: JSON.parse(row.text) as AuditEntry };
}
