import { Query } from '@nestjs/cqrs';
import type { GetRecordLinksResponseDto } from './get-record-links.response.dto.js';

export class GetRecordLinksQuery extends Query<GetRecordLinksResponseDto> {
  constructor(
    readonly recordId: string,
    /** The steward's token subject, for the access log. */
    readonly actor: string,
    readonly requestedAt: Date,
  ) {
    super();
    Object.freeze(this);
  }
}
