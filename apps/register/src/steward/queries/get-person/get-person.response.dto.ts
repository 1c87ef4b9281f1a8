import { ApiProperty } from '@nestjs/swagger';
import { REPORTER_TYPES } from '@ketenpoort/signal-contract';
import type { StewardRecord } from '../../steward.read-model.js';

export class StewardRecordDto implements StewardRecord {
  @ApiProperty({ format: 'uuid', example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d' })
  recordId: string;

  @ApiProperty({ enum: REPORTER_TYPES, example: 'police' })
  reporterType: string;

  @ApiProperty({ example: 'registration' })
  purpose: string;

  @ApiProperty({ example: 'registration' })
  dossierType: string;

  @ApiProperty({ type: 'integer', example: 2024 })
  reportYear: number;

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: 'kinds of the linkage tokens the record carries, never their values',
    example: ['doc', 'nds', 'ndob'],
  })
  tokenKinds: string[];
}

/** A person and their records: ids, reporter types, purposes, years and token kinds only. */
export class GetPersonResponseDto {
  @ApiProperty({ format: 'uuid', example: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b' })
  personId: string;

  @ApiProperty({ type: () => StewardRecordDto, isArray: true })
  records: StewardRecord[];
}
