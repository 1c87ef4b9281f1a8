import { ApiProperty } from '@nestjs/swagger';

/** The inclusion proof of a signal's audit entry against the latest cosigned checkpoint. */
export class SignalProofResponseDto {
  @ApiProperty({ type: 'integer', description: "index of the signal's audit entry", example: 41 })
  index: number;

  @ApiProperty({
    description: 'RFC 6962 leaf hash (base64)',
    example: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  })
  leafHash: string;

  @ApiProperty({ type: 'integer', description: 'size of the log at the checkpoint', example: 128 })
  size: number;

  @ApiProperty({
    description: "the gateway's signed checkpoint (compact JWS)",
    example: 'eyJhbGciOiJFZERTQSJ9.eyJzaXplIjoxMjh9.c2lnbmF0dXJl',
  })
  checkpoint: string;

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: "the register's cosignatures of the checkpoint (compact JWS each)",
    example: ['eyJhbGciOiJFZERTQSJ9.eyJzaXplIjoxMjh9.Y29zaWduYXR1cmU'],
  })
  cosignatures: string[];

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: 'the audit path (RFC 6962), base64 hashes from the leaf up',
    example: ['3q2+7w==', 'yv66vg=='],
  })
  proof: string[];
}
