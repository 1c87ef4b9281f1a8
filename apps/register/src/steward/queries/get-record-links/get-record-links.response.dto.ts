import { ApiProperty } from '@nestjs/swagger';
import type { LinkReason } from '../../steward.read-model.js';

/** One entry of the linkage's log about the record: a join, merge or split, and why. */
export class LinkReasonDto implements LinkReason {
  @ApiProperty({ description: 'join, merge or split', example: 'join' })
  event: string;

  @ApiProperty({
    format: 'uuid',
    description: 'the person the event concerns',
    example: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b',
  })
  personId: string;

  @ApiProperty({
    format: 'uuid',
    description: 'the record at the other end of the link',
    example: 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a',
  })
  linkedRecordId: string;

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: 'token kinds (and rule names) that justify the link; never a token value',
    example: ['doc'],
  })
  reason: string[];

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2024-03-14T10:30:02.000Z' })
  at: string | null;
}

/** A record's person and the recorded reason of each of its links. */
export class GetRecordLinksResponseDto {
  @ApiProperty({ format: 'uuid', example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d' })
  recordId: string;

  @ApiProperty({ format: 'uuid', example: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b' })
  personId: string;

  @ApiProperty({ type: () => LinkReasonDto, isArray: true })
  links: LinkReason[];
}
