import { Command } from '@nestjs/cqrs';

export interface StoreRecordResult {
  created: boolean;
  recordId: string;
  receipt: string;
}

/** A signed delivery from the gateway, as it came over the intake listener. */
export class StoreRecordCommand extends Command<StoreRecordResult> {
  constructor(
    /** The compact JWS body. */
    readonly jws: string,
    /** Common name of the client certificate that delivered it. */
    readonly actor: string,
    readonly correlationId: string,
    readonly timestamp: Date = new Date(),
  ) {
    super();
    Object.freeze(this);
  }
}
