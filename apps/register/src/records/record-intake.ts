import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { BatchLinkageStore, PersonLinker } from '../linkage/index.js';
import { REGISTER_LOGGER } from '../register.config.js';
import { isSexualExploitationOnly } from '../statistics/counting-rule.js';
import type { RegisterRecordRequestDto } from './commands/store-record/register-record.request.dto.js';
import { subjectOf } from './record-validation.js';
import { ReceiptSigner } from './receipt.signer.js';
import { RECORD_STORE, type NewRecordRow, type RecordStore } from './record.store.js';
import { reportYearInAmsterdam } from './report-year.js';

/** A verified, validated record ready to store: the claim as signed and its digest. */
export interface IncomingRecord {
  record: RegisterRecordRequestDto;
  plain: unknown;
  digest: string;
}

/** What became of one incoming record. */
export type IntakeOutcome =
  | { status: 'stored'; receipt: string; personId: string }
  | { status: 'existing'; receipt: string }
  | { status: 'conflict'; message: string };

/** Who delivered, for the log lines. */
export interface IntakeContext {
  /** The delivery's correlation id (of the request); each record also carries its own. */
  correlationId: string;
  actor: string;
  batchId?: string;
}

/**
 * Stores and links records — one or a whole batch — in ONE transaction under the intake lock: the earlier
 * deliveries and tombstones of all of them in one query each, the new records and their tokens in multi-row
 * inserts, their receipts signed concurrently, and linkage in batch order against one prefetch
 * (`BatchLinkageStore`, ADR 0019), so each record sees every earlier one. A record delivered before answers
 * with its first receipt (or a conflict when its content differs); a removed record stays out.
 *
 * @example
 * const [outcome] = await intake.storeAll([{ record, plain, digest }], new Date(), { correlationId, actor });
 */
@Injectable()
export class RecordIntake {
  private readonly linker = new PersonLinker();

  constructor(
    private readonly signer: ReceiptSigner,
    @Inject(RECORD_STORE) private readonly store: RecordStore,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
  ) {}

  async storeAll(
    items: readonly IncomingRecord[],
    at: Date,
    context: IntakeContext,
  ): Promise<IntakeOutcome[]> {
    const receivedAt = new Date(Math.floor(at.getTime() / 1000) * 1000);
    return this.store.inTransaction(async (tx) => {
      const ids = items.map((item) => item.record.recordId);
      const [earlier, removed] = await Promise.all([tx.findDeliveries(ids), tx.removal.removedAmong(ids)]);
      const outcomes: IntakeOutcome[] = new Array(items.length);
      const fresh: Array<{ index: number; item: IncomingRecord }> = [];
      /** A record id twice in one batch: the later one answers like a repeated delivery of the first. */
      const repeats: Array<{ index: number; of: number }> = [];
      const freshById = new Map<string, number>();
      const conflict = (id: string, why: string): IntakeOutcome => ({
        status: 'conflict',
        message: `record ${id} was ${why}`,
      });
      items.forEach((item, index) => {
        const id = item.record.recordId;
        const stored = earlier.get(id);
        if (stored) {
          outcomes[index] =
            stored.payloadDigest === item.digest
              ? { status: 'existing', receipt: stored.receipt }
              : conflict(id, 'stored with other content');
        } else if (removed.has(id)) {
          outcomes[index] = conflict(id, 'removed');
        } else if (freshById.has(id)) {
          repeats.push({ index, of: freshById.get(id)! });
        } else {
          freshById.set(id, fresh.length);
          fresh.push({ index, item });
        }
      });
      const receipts = await Promise.all(
        fresh.map(({ item }) =>
          this.signer.sign({
            recordId: item.record.recordId,
            payloadDigest: item.digest,
            receivedAt: receivedAt.toISOString(),
          }),
        ),
      );
      for (const { index, of } of repeats) {
        outcomes[index] =
          fresh[of].item.digest === items[index].digest
            ? { status: 'existing', receipt: receipts[of] }
            : conflict(items[index].record.recordId, 'stored with other content');
      }
      const subjects = fresh.map(({ item }) => subjectOf(item.record));
      await tx.insertMany(
        fresh.map(({ item }, i): NewRecordRow => ({
          record: item.plain as RegisterRecord,
          payloadDigest: item.digest,
          receipt: receipts[i],
          receivedAt,
          reportYear: reportYearInAmsterdam(item.record.reportedAt),
          reporterType: item.record.reporter.type,
          sexualExploitationOnly: isSexualExploitationOnly(item.record.data.exploitation?.forms),
          birthYear: subjects[i].birthYear,
          sex: subjects[i].sex,
          birthDateEstimated: subjects[i].birthDateEstimated,
          retainUntil: item.record.retainUntil ?? null,
        })),
      );
      const linkage = new BatchLinkageStore(tx.linkage);
      await linkage.prefetch(subjects);
      for (const [i, { index, item }] of fresh.entries()) {
        const linked = await this.linker.link(subjects[i], linkage);
        // lifecycle/: a correction replaces the record it supersedes in the same transaction (removed and
        // relinked through the database, so what was loaded before is forgotten).
        if (item.record.supersedesRecordId) {
          await linkage.reset();
          await tx.removal.remove(item.record.supersedesRecordId, {
            cause: 'superseded',
            replacedBy: item.record.recordId,
          });
        }
        outcomes[index] = { status: 'stored', receipt: receipts[i], personId: linked.personId };
        this.logger.log({
          message: 'record stored',
          recordId: item.record.recordId,
          personId: linked.personId,
          mergedPersons: linked.mergedPersonIds.length,
          splitPersons: linked.splitPersonIds.length,
          // The record's own correlation id traces it from the partner's request; a batch has its own.
          correlationId: item.record.correlationId,
          ...(context.batchId ? { batchId: context.batchId, batchCorrelationId: context.correlationId } : {}),
          actor: context.actor,
        });
      }
      await linkage.flush();
      return outcomes;
    });
  }
}
