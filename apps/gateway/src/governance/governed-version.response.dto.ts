import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const HASH = '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592';
const STATUSES = ['draft', 'shadow', 'active', 'retired', 'rejected'];

/** A governed version (policy or partner table) without its content. */
export class GovernedVersionSummaryDto {
  @ApiProperty({ enum: ['policy', 'partners'], example: 'policy' })
  kind: string;

  @ApiProperty({ description: 'hash of the canonical content', example: HASH })
  version: string;

  @ApiProperty({ enum: STATUSES, example: 'draft' })
  status: string;

  @ApiProperty({ description: 'token subject of the author', example: 'integrator-1' })
  proposedBy: string;

  @ApiProperty({ format: 'date-time', example: '2024-03-14T09:00:00.000Z' })
  proposedAt: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'a second person, never the author',
    example: null,
  })
  approvedBy: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  approvedAt: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  activatedAt: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  decidedBy: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  note: string | null;
}

/** A governed version with its content; a partner table also with its changes against the active one. */
export class GovernedVersionDto extends GovernedVersionSummaryDto {
  @ApiProperty({
    description:
      'the document as proposed: policy YAML, or the partner table as JSON `{ partnersYaml, caCertificates }`',
    example: 'format: 1\ndestination: register\npurposes: []\n',
  })
  content: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      "partner tables only: each partner's changes against the active table (null when none is active)",
  })
  diffAgainstActive?: object | null;
}

class EnforcedVersionsDto {
  @ApiProperty({ type: 'string', nullable: true, example: HASH })
  policy: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  shadowPolicy: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: HASH })
  partners: string | null;
}

class GatewayInstanceDto {
  @ApiProperty({ example: 'gateway-1' })
  instanceId: string;

  @ApiProperty({ type: 'string', nullable: true, example: HASH })
  policyVersion: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: HASH })
  partnersVersion: string | null;

  @ApiProperty({ format: 'date-time', example: '2024-03-14T10:30:00.000Z' })
  seenAt: string;
}

/** What this instance enforces, and what every instance last reported. */
export class GovernanceStatusResponseDto {
  @ApiProperty({ type: () => EnforcedVersionsDto })
  enforced: EnforcedVersionsDto;

  @ApiProperty({ type: () => GatewayInstanceDto, isArray: true })
  instances: GatewayInstanceDto[];
}

export class ProposeVersionResponseDto {
  @ApiProperty({ example: HASH })
  version: string;

  @ApiProperty({ description: 'false when the same content was proposed before', example: true })
  created: boolean;
}
