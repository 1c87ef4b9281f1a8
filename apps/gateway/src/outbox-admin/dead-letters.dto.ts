import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DeadLetter } from './infrastructure/dead-letter.repository.js';

export class DeadLetterDto implements DeadLetter {
  @ApiProperty({ format: 'uuid', example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d' })
  recordId: string;

  @ApiProperty({ format: 'uuid', example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10' })
  signalId: string;

  @ApiProperty({ example: 'politie-oost-brabant' })
  partnerId: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: "the register's refusal code",
    example: 'RECORD.INVALID',
  })
  reason: string | null;

  @ApiProperty({ type: 'integer', example: 1 })
  attempts: number;

  @ApiProperty({ format: 'date-time', example: '2024-03-14T10:30:01.123Z' })
  createdAt: string;
}

export class DeadLettersResponseDto {
  @ApiProperty({ type: () => DeadLetterDto, isArray: true, description: 'at most 500, oldest first' })
  deadLetters: DeadLetterDto[];
}

/** The body of a replay, for the docs (the controller checks it): `{}` or no body replays all (up to 500). */
export class ReplayDeadLettersRequestDto {
  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    isArray: true,
    minItems: 1,
    maxItems: 500,
    example: ['b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d'],
  })
  recordIds?: string[];
}

export class ReplayDeadLettersResponseDto {
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    isArray: true,
    description: 'the records sent again',
    example: ['b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d'],
  })
  replayed: string[];
}
