import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPORTER_TYPES, SIGNAL_FIELDS } from '@ketenpoort/signal-contract';

/** One field of the sample under the purpose: the rule that matched and what it produced. */
export class FieldExplanationDto {
  @ApiProperty({ enum: SIGNAL_FIELDS, example: 'subject.birthDate' })
  field: string;

  @ApiProperty({ example: true })
  present: boolean;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'line of the rule in the policy file',
    example: 52,
  })
  line: number | null;

  @ApiProperty({
    description: 'the rule as written, or the default-deny note',
    example: 'pseudonymise, { generalise: birth-year }',
  })
  rule: string;

  @ApiProperty({
    enum: ['forwarded', 'pseudonymised', 'generalised', 'dropped', 'absent'],
    example: 'generalised',
  })
  action: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    isArray: true,
    description: 'each output with its value (tokens under the dry-run key domain, never the production key)',
    example: [{ rule: '{ generalise: birth-year }', output: 'subject.birthYear', value: 1999 }],
  })
  outputs: object[];
}

/** The dry run of a sample signal under a policy version. */
export class ExplainSignalResponseDto {
  @ApiProperty({
    enum: ['dry-run'],
    description: 'tokens are computed under a throw-away key ring',
    example: 'dry-run',
  })
  keyDomain: 'dry-run';

  @ApiProperty({ example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592' })
  policyVersion: string;

  @ApiProperty({ example: 'register' })
  destination: string;

  @ApiProperty({ example: 'registration' })
  purpose: string;

  @ApiProperty({ enum: REPORTER_TYPES, example: 'police' })
  reporterType: string;

  @ApiProperty({ type: 'integer', example: 1 })
  keyVersion: number;

  @ApiProperty({ enum: ['released', 'refused'], example: 'released' })
  outcome: 'released' | 'refused';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'why it would be refused: code, message and field name (never a value)',
    example: { code: 'POLICY.CONSENT_REQUIRED', message: 'consent is required for this purpose' },
  })
  refusal?: object;

  @ApiProperty({ type: 'string', nullable: true, example: 'Wpg art. 18 jo. Bpg art. 4:2' })
  legalGround: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'the ground as structured data',
  })
  ground: object | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'the consent rule and what it asks of this sample',
    example: { rule: 'none', required: false, by: null },
  })
  consent: object | null;

  @ApiProperty({ type: 'string', isArray: true, example: [] })
  flags: string[];

  @ApiProperty({ type: () => FieldExplanationDto, isArray: true })
  fields: FieldExplanationDto[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    isArray: true,
    description: 'derived outputs (for example the age band at report)',
    example: [{ rule: 'age-band-at-report', output: 'subject.ageBandAtReport', value: '23+', line: 70 }],
  })
  derived: object[];
}
