import type { LinkReason } from '../../steward.read-model.js';

/** A record's person and the recorded reason of each of its links. */
export class GetRecordLinksResponseDto {
  recordId: string;
  personId: string;
  links: LinkReason[];
}
