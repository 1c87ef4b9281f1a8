import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The (optional) body of a decision on a governed version. */
export class DecideVersionRequestDto {
  @ApiPropertyOptional({
    maxLength: 500,
    description: 'why (no personal data)',
    example: 'reviewed with the DPO',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
