import { Query } from '@nestjs/cqrs';
import type { GetSnapshotResponseDto } from './get-snapshot.response.dto.js';

export class GetSnapshotQuery extends Query<GetSnapshotResponseDto> {
  constructor(readonly year: number) {
    super();
    Object.freeze(this);
  }
}
