import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const JWS = 'eyJhbGciOiJFZERTQSJ9.eyJzaXplIjoxMjh9.c2lnbmF0dXJl';
const HASH = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';

/** A signed checkpoint with the register's cosignatures. */
export class ExportedCheckpointDto {
  @ApiProperty({ description: "the gateway's signed checkpoint (compact JWS)", example: JWS })
  checkpoint: string;

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: "the witnesses' cosignatures (compact JWS)",
    example: [JWS],
  })
  cosignatures: string[];
}

export class CheckpointResponseDto extends ExportedCheckpointDto {
  @ApiProperty({ type: 'integer', description: 'entries covered', example: 128 })
  size: number;

  @ApiProperty({ description: 'RFC 6962 root hash (base64)', example: HASH })
  rootHash: string;

  @ApiProperty({ format: 'date-time', example: '2024-03-14T10:31:00.000Z' })
  time: string;
}

export class InclusionProofResponseDto {
  @ApiProperty({ type: 'integer', example: 41 })
  index: number;

  @ApiProperty({ type: 'integer', example: 128 })
  size: number;

  @ApiProperty({ type: 'string', isArray: true, description: 'RFC 6962 audit path, base64', example: [HASH] })
  proof: string[];
}

export class ConsistencyProofResponseDto {
  @ApiProperty({ type: 'integer', example: 64 })
  from: number;

  @ApiProperty({ type: 'integer', example: 128 })
  to: number;

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: 'RFC 6962 consistency proof, base64',
    example: [HASH],
  })
  proof: string[];
}

/** The public keys an offline verifier needs. */
export class AuditKeysResponseDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JWKS of the checkpoint signers (the gateway)',
    example: { keys: [] },
  })
  signers: object;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JWKS of the witnesses (the register)',
    example: { keys: [] },
  })
  witnesses: object;
}

/** One line of `GET /v1/admin/audit/export/entries` (the format `ketenpoort audit verify` reads). */
export class ExportedEntryLineDto {
  @ApiProperty({ type: 'integer', example: 41 })
  index: number;

  @ApiProperty({ description: 'RFC 6962 leaf hash (base64)', example: HASH })
  leafHash: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    isArray: true,
    nullable: true,
    description: 'per subject commitment its opening (audit-domain token and salt), null once erased',
  })
  openings?: object[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the audit entry (canonical JSON)',
  })
  entry: object;
}
