import { ApiProperty } from '@nestjs/swagger';

/** The body of a cosign request, for the docs (the controller checks it; its JSON is parsed on this path only). */
export class CosignRequestDto {
  @ApiProperty({
    description: "the gateway's signed checkpoint (compact JWS)",
    example: 'eyJhbGciOiJFZERTQSJ9.eyJzaXplIjoxMjh9.c2ln',
  })
  checkpoint: string;

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: 'RFC 6962 consistency proof (base64) from the last checkpoint cosigned',
    example: ['3q2+7w=='],
  })
  proof: string[];
}

export class CosignResponseDto {
  @ApiProperty({
    description: "the register's cosignature (compact JWS)",
    example: 'eyJhbGciOiJFZERTQSJ9.eyJzaXplIjoxMjh9.Y29zaWdu',
  })
  cosignature: string;
}

export class WitnessStateResponseDto {
  @ApiProperty({
    type: 'integer',
    description: 'size of the last checkpoint cosigned (0: none)',
    example: 128,
  })
  size: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'its root hash (base64)',
    example: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  })
  rootHash: string | null;
}
