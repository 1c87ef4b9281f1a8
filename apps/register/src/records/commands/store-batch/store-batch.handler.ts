import { Inject, type LoggerService } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RegisterError } from '../../../common/register.error.js';
import { REGISTER_LOGGER } from '../../../register.config.js';
import { GatewayRecordVerifier } from '../../gateway-record.verifier.js';
import { payloadDigest } from '../../payload-digest.js';
import { RecordIntake, type IncomingRecord } from '../../record-intake.js';
import { validateRecord } from '../../record-validation.js';
import { StoreBatchCommand, type BatchRecordResult, type StoreBatchResult } from './store-batch.command.js';

/** Records per batch at most. */
export const MAX_BATCH_RECORDS = 2000;

/**
 * Stores a signed batch: the batch JWS covers each record's id and digest, so each record is checked
 * against its own digest and stays verifiable alone. Valid records are stored and linked in ONE
 * transaction (in batch order, so linkage sees every earlier record); each gets its own signed receipt.
 * A record that fails its digest, validation or idempotency check is refused alone; the others are stored.
 */
@CommandHandler(StoreBatchCommand)
export class StoreBatchHandler implements ICommandHandler<StoreBatchCommand, StoreBatchResult> {
  constructor(
    private readonly verifier: GatewayRecordVerifier,
    private readonly intake: RecordIntake,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
  ) {}

  async execute(command: StoreBatchCommand): Promise<StoreBatchResult> {
    const batch = await this.verifier.verifyBatch(command.batchJws);
    if (batch.entries.length !== command.records.length || batch.entries.length > MAX_BATCH_RECORDS) {
      throw new RegisterError('REQUEST.INVALID', 'the records do not match the signed batch', [
        { path: 'records', reasons: [`must hold the ${batch.entries.length} records the batch names`] },
      ]);
    }
    const results: BatchRecordResult[] = new Array(command.records.length);
    const valid: Array<IncomingRecord & { index: number }> = [];
    command.records.forEach((plain, index) => {
      const signed = batch.entries[index];
      const digest = safeDigest(plain);
      const recordId = (plain as { recordId?: unknown } | null)?.recordId;
      if (digest !== signed.payloadDigest || recordId !== signed.recordId) {
        results[index] = refusal(
          signed.recordId,
          'RECORD.SIGNATURE_INVALID',
          'the record does not match its signed digest',
        );
        return;
      }
      try {
        valid.push({ index, record: validateRecord(plain), plain, digest });
      } catch (error) {
        if (!(error instanceof RegisterError)) throw error;
        results[index] = refusal(signed.recordId, error.code, error.message, error.fields);
      }
    });
    const outcomes = await this.intake.storeAll(valid, command.timestamp, {
      correlationId: command.correlationId,
      actor: command.actor,
      batchId: batch.batchId,
    });
    outcomes.forEach((outcome, i) => {
      const { index, record } = valid[i];
      results[index] =
        outcome.status === 'conflict'
          ? refusal(record.recordId, 'RECORD.CONFLICT', outcome.message)
          : { recordId: record.recordId, status: outcome.status, receipt: outcome.receipt };
    });
    const stored = outcomes.filter((o) => o.status === 'stored').length;
    this.logger.log({
      message: 'record batch stored',
      batchId: batch.batchId,
      records: results.length,
      stored,
      refused: results.filter((r) => r.status === 'refused').length,
      correlationId: command.correlationId,
      actor: command.actor,
    });
    return { batchId: batch.batchId, results };
  }
}

function safeDigest(plain: unknown): string | null {
  try {
    return payloadDigest(plain);
  } catch {
    return null;
  }
}

function refusal(
  recordId: string | null,
  code: string,
  message: string,
  fields?: Array<{ path: string; reasons: string[] }>,
): BatchRecordResult {
  return { recordId, status: 'refused', error: { code, message, ...(fields ? { fields } : {}) } };
}
