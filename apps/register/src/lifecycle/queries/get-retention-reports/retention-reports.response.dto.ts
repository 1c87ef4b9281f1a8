import { ApiProperty } from '@nestjs/swagger';

export class RetentionReportsResponseDto {
  @ApiProperty({
    type: 'string',
    isArray: true,
    description:
      'up to 100 reports after `after`, oldest first: each a compact JWS (typ `ketenpoort-retention-report+jws`) with `reportId`, `seq`, `ranAt` and per purpose the count deleted',
    example: ['eyJhbGciOiJFZERTQSJ9.eyJzZXEiOjF9.c2ln'],
  })
  reports: string[];
}
