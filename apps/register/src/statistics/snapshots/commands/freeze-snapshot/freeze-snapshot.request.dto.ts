import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class FreezeSnapshotRequestDto {
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year: number;
}
