import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class FreezeSnapshotRequestDto {
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
