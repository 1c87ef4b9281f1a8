import { Command } from '@nestjs/cqrs';

/** What the register answers for one record of a batch. */
export interface BatchRecordResult {
  recordId: string | null;
  status: 'stored' | 'existing' | 'refused';
  /** The signed receipt of a stored (or earlier stored) record, verifiable on its own. */
  receipt?: string;
  error?: { code: string; message: string; fields?: Array<{ path: string; reasons: string[] }> };
}

export interface StoreBatchResult {
  batchId: string;
  results: BatchRecordResult[];
}

/** A signed batch of records from the gateway: the batch JWS and the records it names, in order. */
export class StoreBatchCommand extends Command<StoreBatchResult> {
  constructor(
    readonly batchJws: string,
    readonly records: unknown[],
    readonly actor: string,
    readonly correlationId: string,
    readonly timestamp: Date = new Date(),
  ) {
    super();
    Object.freeze(this);
  }
}
