import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  OUTPUT_FORMATS,
  type OutputFormat,
} from '../../../queries/get-statistics/get-statistics.request.dto.js';

export class GetSnapshotParamsDto {
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year: number;
}

export class GetSnapshotRequestDto {
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  format?: OutputFormat;
}
