import { ApiProperty } from '@nestjs/swagger';

/** The register's signed receipt of a record (claims `recordId`, `payloadDigest`, `receivedAt`). */
export class StoreRecordResponseDto {
  @ApiProperty({
    description:
      'compact JWS (typ `ketenpoort-register-receipt+jws`), signed with a key of `/.well-known/jwks.json`',
    example:
      'eyJhbGciOiJFZERTQSIsInR5cCI6ImtldGVucG9vcnQtcmVnaXN0ZXItcmVjZWlwdCtqd3MifQ.eyJyZWNvcmRJZCI6Ii4uLiJ9.c2ln',
  })
  receipt: string;
}
