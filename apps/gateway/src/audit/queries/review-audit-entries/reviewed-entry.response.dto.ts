import { ApiProperty } from '@nestjs/swagger';
import type { AuditEntry } from '@ketenpoort/audit';
import type { ReviewedEntryRow } from '../../infrastructure/audit-review.repository.js';

/** One entry as the review API answers it: never the subject openings (tokens and salts). */
export class ReviewedEntryResponse {
  @ApiProperty({ type: 'integer', description: 'index of the entry in the log', example: 41 })
  idx: number;

  @ApiProperty({
    description: 'RFC 6962 leaf hash (base64)',
    example: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  })
  leafHash: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'the audit entry: event, time, partner, certificate fingerprint, purpose, legal ground, policy and key version, per-field decisions; subject tokens only as commitments',
    example: { event: 'signal.received', partnerId: 'politie-oost-brabant', purpose: 'registration' },
  })
  entry: AuditEntry;
}

export function toReviewedEntry(row: ReviewedEntryRow): ReviewedEntryResponse {
  return { idx: row.idx, leafHash: row.leafHash, entry: JSON.parse(row.text) as AuditEntry };
}
