import { ApiProperty } from '@nestjs/swagger';
import { ReviewedEntryResponse } from '../review-audit-entries/reviewed-entry.response.dto.js';
import type { SubjectLookupResult } from './subject-lookup.service.js';

/** The audit entries about one person, within the officer's scope. */
export class SubjectLookupResponseDto implements SubjectLookupResult {
  @ApiProperty({ example: 'SAR-2026-0042' })
  requestReference: string;

  @ApiProperty({
    type: 'integer',
    isArray: true,
    description: 'key versions searched (all of the ring)',
    example: [1],
  })
  keyVersions: number[];

  @ApiProperty({ type: 'integer', description: 'entries found', example: 2 })
  matches: number;

  @ApiProperty({ type: () => ReviewedEntryResponse, isArray: true })
  entries: ReviewedEntryResponse[];
}
