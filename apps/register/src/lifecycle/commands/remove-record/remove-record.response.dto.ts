import { ApiProperty } from '@nestjs/swagger';

/** The register's signed answer to a removal (claims `recordId`, `cause`, `removed`, `removedAt`, `keptGrounds`). */
export class RemoveRecordResponseDto {
  @ApiProperty({
    description:
      "compact JWS (typ `ketenpoort-removal-receipt+jws`); `keptGrounds` names the grounds under which the same person's other records stay",
    example:
      'eyJhbGciOiJFZERTQSIsInR5cCI6ImtldGVucG9vcnQtcmVtb3ZhbC1yZWNlaXB0K2p3cyJ9.eyJyZWNvcmRJZCI6Ii4uLiJ9.c2ln',
  })
  receipt: string;
}
