import { Query } from '@nestjs/cqrs';
import type { GetPersonResponseDto } from './get-person.response.dto.js';

export class GetPersonQuery extends Query<GetPersonResponseDto> {
  constructor(
    readonly personId: string,
    /** The steward's token subject, for the access log. */
    readonly actor: string,
    readonly requestedAt: Date,
  ) {
    super();
    Object.freeze(this);
  }
}
