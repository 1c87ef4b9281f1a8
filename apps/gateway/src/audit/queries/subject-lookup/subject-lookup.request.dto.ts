import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SEXES } from '@ketenpoort/signal-contract';

class SubjectDocumentDto {
  @ApiProperty({ maxLength: 40, example: 'passport' })
  type: string;

  @ApiProperty({ maxLength: 60, example: 'XX0000000' })
  number: string;

  @ApiPropertyOptional({ maxLength: 3, example: 'PL' })
  country?: string;
}

/**
 * A person's identifiers, for the docs (parseSubjectLookupRequest checks them): turned into audit-domain
 * tokens in memory, never stored, logged or audited.
 */
export class SubjectIdentityDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Jane' })
  givenNames?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Doe' })
  familyName?: string;

  @ApiPropertyOptional({ description: 'YYYY, YYYY-MM or YYYY-MM-DD', example: '1999-04-12' })
  birthDate?: string;

  @ApiPropertyOptional({ enum: SEXES, example: 'female' })
  sex?: string;

  @ApiPropertyOptional({ type: () => SubjectDocumentDto, isArray: true, maxItems: 10 })
  documents?: SubjectDocumentDto[];
}

export class SubjectLookupRequestDto {
  @ApiProperty({
    pattern: '^(?=.{3,32}$)(?=[^\\d]*\\d)[A-Z0-9]+(?:-[A-Z0-9]+)*$',
    description:
      "the subject-access request's reference: capitals, digits and hyphens, with a digit (never a name)",
    example: 'SAR-2026-0042',
  })
  requestReference: string;

  @ApiProperty({ type: () => SubjectIdentityDto })
  subject: SubjectIdentityDto;
}
