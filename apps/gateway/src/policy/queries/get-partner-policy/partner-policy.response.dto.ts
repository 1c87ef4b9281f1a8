import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPORTER_TYPES, SIGNAL_FIELDS, type ReporterType } from '@ketenpoort/signal-contract';

/** One released field and its outputs under a purpose. */
export class ReleasedFieldDto {
  @ApiProperty({ enum: SIGNAL_FIELDS, example: 'subject.birthDate' })
  field: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    isArray: true,
    description: 'what leaves for it: `forward`, `pseudonymise`, `generalise` (with `to`) or `mask`',
    example: [{ action: 'pseudonymise' }, { action: 'generalise', to: 'birth-year' }],
  })
  outputs: readonly object[];
}

/** One purpose the partner may use, as the active policy applies it to the partner's reporter type. */
export class PartnerPurposeDto {
  @ApiProperty({ example: 'registration' })
  id: string;

  @ApiProperty({
    example: 'Registration of a (possible) victim of human trafficking in the national register.',
  })
  description: string;

  @ApiProperty({ example: 'registration' })
  dossierType: string;

  @ApiProperty({ description: 'how long the register keeps a record (ISO 8601 duration)', example: 'P10Y' })
  retention: string;

  @ApiProperty({ description: 'false when this reporter type has no ground for the purpose', example: true })
  permitted: boolean;

  @ApiPropertyOptional({ description: 'when permitted', example: 'Wpg art. 18 jo. Bpg art. 4:2' })
  legalGround?: string;

  @ApiPropertyOptional({
    enum: ['none', 'required'],
    description: 'when permitted: the consent rule',
    example: 'none',
  })
  consent?: string;

  @ApiProperty({ type: () => ReleasedFieldDto, isArray: true })
  fields: ReleasedFieldDto[];

  @ApiProperty({
    enum: SIGNAL_FIELDS,
    isArray: true,
    description: 'fields nothing of which leaves',
    example: ['subject.phone', 'situation.narrative'],
  })
  dropped: string[];
}

/** What the active policy releases of this partner's signals, per purpose. */
export class PartnerPolicyResponseDto {
  @ApiProperty({ example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592' })
  policyVersion: string;

  @ApiProperty({ enum: REPORTER_TYPES, description: "from the partner's configuration", example: 'police' })
  reporterType: ReporterType;

  @ApiProperty({ type: () => PartnerPurposeDto, isArray: true })
  purposes: PartnerPurposeDto[];
}
