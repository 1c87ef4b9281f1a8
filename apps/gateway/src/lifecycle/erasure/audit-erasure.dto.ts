import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SubjectIdentityDto } from '../../audit/queries/subject-lookup/subject-lookup.request.dto.js';
import type { AuditErasure } from '../infrastructure/audit-erasure.repository.js';

/** The body of an erasure request, for the docs (the controller checks it): leafIndexes or subject, not both. */
export class AuditErasureRequestDto {
  @ApiProperty({
    pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$',
    description: 'the reference of the lawful request (a case number, never a name)',
    example: 'AVG-2024-017',
  })
  requestReference: string;

  @ApiPropertyOptional({
    type: 'integer',
    isArray: true,
    minItems: 1,
    maxItems: 1000,
    description: 'the leaves to erase (each must hold a subject opening)',
    example: [41, 57],
  })
  leafIndexes?: number[];

  @ApiPropertyOptional({
    type: () => SubjectIdentityDto,
    description: "or the subject's identifiers: matched in memory, never stored",
  })
  subject?: SubjectIdentityDto;
}

export class AuditErasureResponseDto implements AuditErasure {
  @ApiProperty({ format: 'uuid', example: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f' })
  erasureId: string;

  @ApiProperty({ example: 'AVG-2024-017' })
  requestReference: string;

  @ApiProperty({ type: 'integer', isArray: true, example: [41, 57] })
  leafIndexes: number[];

  @ApiProperty({ enum: ['pending', 'executed'], example: 'pending' })
  status: 'pending' | 'executed';

  @ApiProperty({ description: 'token subject of the requesting officer', example: 'officer-1' })
  requestedBy: string;

  @ApiProperty({ format: 'date-time', example: '2024-03-14T11:00:00.000Z' })
  requestedAt: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'a second privacy officer', example: null })
  approvedBy: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  approvedAt: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    isArray: true,
    description: 'indexes of the redaction entries appended on approval',
    example: [130, 131],
  })
  redactionIndexes?: number[];
}
