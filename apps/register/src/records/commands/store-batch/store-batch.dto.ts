import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RegisterRecordRequestDto } from '../store-record/register-record.request.dto.js';
import type { BatchRecordResult, StoreBatchResult } from './store-batch.command.js';

/** The body of a record batch, for the docs (the controller reads it itself, past the body parsers' limit). */
export class StoreBatchRequestDto {
  @ApiProperty({
    description: 'compact JWS signed by the gateway naming the batch and the digest of each record, in order',
    example: 'eyJhbGciOiJFZERTQSJ9.eyJiYXRjaCI6Ii4uLiJ9.c2ln',
  })
  batch: string;

  @ApiProperty({
    type: () => RegisterRecordRequestDto,
    isArray: true,
    description: 'the records, up to 2,000',
  })
  records: RegisterRecordRequestDto[];
}

class RecordErrorDto {
  @ApiProperty({ example: 'RECORD.INVALID' })
  code: string;

  @ApiProperty({ example: 'record is not a valid register record' })
  message: string;

  @ApiPropertyOptional({
    description: 'refused fields by path, with reasons',
    example: [{ path: 'data.subject.birthYear', reasons: ['birthYear must not be greater than 2200'] }],
  })
  fields?: Array<{ path: string; reasons: string[] }>;
}

export class BatchRecordResultDto implements BatchRecordResult {
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d',
  })
  recordId: string | null;

  @ApiProperty({ enum: ['stored', 'existing', 'refused'], example: 'stored' })
  status: 'stored' | 'existing' | 'refused';

  @ApiPropertyOptional({
    description: 'the signed receipt of a stored (or earlier stored) record, verifiable on its own',
    example: 'eyJhbGciOiJFZERTQSJ9.eyJyZWNvcmRJZCI6Ii4uLiJ9.c2ln',
  })
  receipt?: string;

  @ApiPropertyOptional({ type: () => RecordErrorDto, description: 'when refused' })
  error?: RecordErrorDto;
}

export class StoreBatchResponseDto implements StoreBatchResult {
  @ApiProperty({ example: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b' })
  batchId: string;

  @ApiProperty({ type: () => BatchRecordResultDto, isArray: true, description: 'one per record, in order' })
  results: BatchRecordResultDto[];
}
