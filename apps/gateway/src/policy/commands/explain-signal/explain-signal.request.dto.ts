import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, Matches } from 'class-validator';
import { SIGNAL_V1_EXAMPLES, SignalV1Dto } from '@ketenpoort/signal-contract';

export class ExplainSignalRequestDto {
  @ApiProperty({
    pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
    description: 'the partner whose reporter type decides the ground',
    example: 'politie-oost-brabant',
  })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  partnerId: string;

  /** A version hash; default: the active version. */
  @ApiPropertyOptional({
    pattern: '^[0-9a-f]{64}$',
    description: 'a policy version (hash); default: the active version',
    example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  version?: string;

  @ApiProperty({
    type: () => SignalV1Dto,
    description: 'a sample signal v1 (fictional): neither stored, nor logged, nor forwarded',
    example: SIGNAL_V1_EXAMPLES.registration.value,
  })
  @IsObject()
  signal: Record<string, unknown>;
}
