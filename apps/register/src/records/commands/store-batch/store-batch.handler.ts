import { Inject, type LoggerService } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { RegisterError } from '../../../common/register.error.js';
import { PersonLinker } from '../../../linkage/index.js';
import { REGISTER_LOGGER } from '../../../register.config.js';
import { isSexualExploitationOnly } from '../../../statistics/counting-rule.js';
import { GatewayRecordVerifier } from '../../gateway-record.verifier.js';
import { payloadDigest } from '../../payload-digest.js';
import { ReceiptSigner } from '../../receipt.signer.js';
import { RECORD_STORE, type RecordStore } from '../../record.store.js';
import { reportYearInAmsterdam } from '../../report-year.js';
import type { RegisterRecordRequestDto } from '../store-record/register-record.request.dto.js';
import { subjectOf, validateRecord } from '../store-record/store-record.handler.js';
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
    private readonly signer: ReceiptSigner,
    private readonly linker: PersonLinker,
    @Inject(RECORD_STORE) private readonly store: RecordStore,
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
    const valid: Array<{ index: number; record: RegisterRecordRequestDto; plain: unknown; digest: string }> =
      [];
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
    const receivedAt = new Date(Math.floor(command.timestamp.getTime() / 1000) * 1000);
    let stored = 0;
    await this.store.inTransaction(async (tx) => {
      for (const { index, record, plain, digest } of valid) {
        const existing = await tx.findDelivery(record.recordId);
        if (existing) {
          results[index] =
            existing.payloadDigest === digest
              ? { recordId: record.recordId, status: 'existing', receipt: existing.receipt }
              : refusal(
                  record.recordId,
                  'RECORD.CONFLICT',
                  `record ${record.recordId} was stored with other content`,
                );
          continue;
        }
        // lifecycle/: a removed (retracted, withdrawn, superseded) record that arrives late stays out.
        if (await tx.removal.wasRemoved(record.recordId)) {
          results[index] = refusal(
            record.recordId,
            'RECORD.CONFLICT',
            `record ${record.recordId} was removed`,
          );
          continue;
        }
        const receipt = await this.signer.sign({
          recordId: record.recordId,
          payloadDigest: digest,
          receivedAt: receivedAt.toISOString(),
        });
        const subject = subjectOf(record);
        await tx.insert({
          record: plain as RegisterRecord,
          payloadDigest: digest,
          receipt,
          receivedAt,
          reportYear: reportYearInAmsterdam(record.reportedAt),
          reporterType: record.reporter.type,
          sexualExploitationOnly: isSexualExploitationOnly(record.data.exploitation?.forms),
          birthYear: subject.birthYear,
          sex: subject.sex,
          birthDateEstimated: subject.birthDateEstimated,
          retainUntil: record.retainUntil ?? null,
        });
        const linked = await this.linker.link(subject, tx.linkage);
        // lifecycle/: a correction replaces the record it supersedes in the same transaction.
        if (record.supersedesRecordId) {
          await tx.removal.remove(record.supersedesRecordId, {
            cause: 'superseded',
            replacedBy: record.recordId,
          });
        }
        this.logger.log({
          message: 'record stored',
          recordId: record.recordId,
          personId: linked.personId,
          mergedPersons: linked.mergedPersonIds.length,
          splitPersons: linked.splitPersonIds.length,
          correlationId: record.correlationId,
          batchId: batch.batchId,
          actor: command.actor,
        });
        results[index] = { recordId: record.recordId, status: 'stored', receipt };
        stored++;
      }
    });
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
