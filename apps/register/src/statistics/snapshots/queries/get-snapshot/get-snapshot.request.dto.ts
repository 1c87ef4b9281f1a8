import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  OUTPUT_FORMATS,
  type OutputFormat,
} from '../../../queries/get-statistics/get-statistics.request.dto.js';

export class GetSnapshotParamsDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1900,
    maximum: 2200,
    description: 'the report year',
    example: 2024,
  })
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year: number;
}

export class GetSnapshotRequestDto {
  @ApiPropertyOptional({ enum: OUTPUT_FORMATS, description: 'overrides the Accept header', example: 'json' })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  format?: OutputFormat;
}
