import { ApiProperty } from '@nestjs/swagger';
import { ReviewedEntryResponse } from './reviewed-entry.response.dto.js';

/** One page of a search: the entries and the cursor of the next page. */
export class AuditEntriesPageResponseDto {
  @ApiProperty({ type: () => ReviewedEntryResponse, isArray: true })
  entries: ReviewedEntryResponse[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'pass as `cursor` for the next page; null at the end',
    example: 'YTE6NDE',
  })
  nextCursor: string | null;
}

class FieldCountsDto {
  @ApiProperty({ example: 'subject.birthDate' })
  field: string;

  @ApiProperty({ type: 'integer', example: 0 })
  forwarded: number;

  @ApiProperty({ type: 'integer', example: 12 })
  pseudonymised: number;

  @ApiProperty({ type: 'integer', example: 12 })
  generalised: number;

  @ApiProperty({ type: 'integer', example: 0 })
  dropped: number;
}

class PurposeOverviewDto {
  @ApiProperty({ example: 'registration' })
  purpose: string;

  @ApiProperty({ type: 'integer', description: 'signals received', example: 12 })
  received: number;

  @ApiProperty({ type: () => FieldCountsDto, isArray: true })
  fields: FieldCountsDto[];
}

class PartnerOverviewDto {
  @ApiProperty({ example: 'politie-oost-brabant' })
  partnerId: string;

  @ApiProperty({ type: () => PurposeOverviewDto, isArray: true })
  purposes: PurposeOverviewDto[];
}

class RefusalCountDto {
  @ApiProperty({ type: 'string', nullable: true, example: 'politie-oost-brabant' })
  partnerId: string | null;

  @ApiProperty({ description: 'error code', example: 'POLICY.CONSENT_REQUIRED' })
  reason: string;

  @ApiProperty({ type: 'integer', example: 1 })
  count: number;
}

/** The officer's overview: per partner and purpose what was released, transformed and dropped, per field. */
export class AuditOverviewResponseDto {
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2024-01-01T00:00:00.000Z' })
  from: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  to: string | null;

  @ApiProperty({
    type: 'string',
    isArray: true,
    nullable: true,
    description: "the token's partner scope; null: all partners",
    example: null,
  })
  scope: string[] | null;

  @ApiProperty({ type: () => PartnerOverviewDto, isArray: true })
  partners: PartnerOverviewDto[];

  @ApiProperty({ type: () => RefusalCountDto, isArray: true })
  refusals: RefusalCountDto[];

  @ApiProperty({ type: 'integer', description: 'subject lookups in the period', example: 0 })
  subjectLookups: number;
}
