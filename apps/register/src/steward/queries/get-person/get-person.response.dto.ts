import type { StewardRecord } from '../../steward.read-model.js';

/** A person and their records: ids, reporter types, purposes, years and token kinds only. */
export class GetPersonResponseDto {
  personId: string;
  records: StewardRecord[];
}
