import { Inject, type LoggerService } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { RegisterError } from '../../../common/register.error.js';
import { validatePlain } from '../../../common/validation.js';
import { PersonLinker, type LinkageSubject } from '../../../linkage/index.js';
import { isSexualExploitationOnly } from '../../../statistics/counting-rule.js';
import { GatewayRecordVerifier } from '../../gateway-record.verifier.js';
import { payloadDigest } from '../../payload-digest.js';
import { ReceiptSigner } from '../../receipt.signer.js';
import { RECORD_STORE, type RecordStore } from '../../record.store.js';
import { reportYearInAmsterdam } from '../../report-year.js';
import { REGISTER_LOGGER } from '../../../register.config.js';
import { RegisterRecordRequestDto } from './register-record.request.dto.js';
import { StoreRecordCommand, type StoreRecordResult } from './store-record.command.js';

@CommandHandler(StoreRecordCommand)
export class StoreRecordHandler implements ICommandHandler<StoreRecordCommand, StoreRecordResult> {
  constructor(
    private readonly verifier: GatewayRecordVerifier,
    private readonly signer: ReceiptSigner,
    private readonly linker: PersonLinker,
    @Inject(RECORD_STORE) private readonly store: RecordStore,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
  ) {}

  async execute(command: StoreRecordCommand): Promise<StoreRecordResult> {
    const delivery = await this.verifier.verify(command.jws);
    const record = validateRecord(delivery.record);
    if (delivery.jti !== record.recordId) {
      throw new RegisterError('RECORD.INVALID', 'jti must equal record.recordId', [
        { path: 'jti', reasons: ['must equal record.recordId'] },
      ]);
    }
    // The digest covers the claim exactly as signed, as the gateway computed it.
    const digest = payloadDigest(delivery.record);
    const result = await this.store.inTransaction(async (tx) => {
      const existing = await tx.findDelivery(record.recordId);
      if (existing) {
        if (existing.payloadDigest !== digest) {
          throw new RegisterError(
            'RECORD.CONFLICT',
            `record ${record.recordId} was stored with other content`,
          );
        }
        return { created: false, recordId: record.recordId, receipt: existing.receipt };
      }
      // A retracted, withdrawn or superseded record that arrives late (an overtaken delivery) stays out.
      if (await tx.removal.wasRemoved(record.recordId)) {
        throw new RegisterError('RECORD.CONFLICT', `record ${record.recordId} was removed`);
      }
      const receivedAt = new Date(Math.floor(command.timestamp.getTime() / 1000) * 1000);
      const receipt = await this.signer.sign({
        recordId: record.recordId,
        payloadDigest: digest,
        receivedAt: receivedAt.toISOString(),
      });
      const subject = subjectOf(record);
      await tx.insert({
        record: delivery.record as RegisterRecord,
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
      // A correction replaces the record it supersedes in the same transaction (removed and relinked).
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
        correlationId: command.correlationId,
        actor: command.actor,
      });
      return { created: true, recordId: record.recordId, receipt };
    });
    if (!result.created) {
      this.logger.log({
        message: 'record delivered again',
        recordId: record.recordId,
        correlationId: command.correlationId,
        actor: command.actor,
      });
    }
    return result;
  }
}

/** Validates a record claim as a register record (shared with the batch intake). */
export function validateRecord(plain: unknown): RegisterRecordRequestDto {
  const validation = validatePlain(RegisterRecordRequestDto, plain);
  if (!validation.ok) {
    throw new RegisterError(
      'RECORD.INVALID',
      'record is not a valid register record',
      validation.errors.map((e) => ({ ...e, path: e.path ? `record.${e.path}` : 'record' })),
    );
  }
  const record = validation.value;
  const mismatched = record.tokens.findIndex((token) => token.value.split('.')[2] !== token.kind);
  if (mismatched >= 0) {
    throw new RegisterError('RECORD.INVALID', 'record is not a valid register record', [
      { path: `record.tokens[${mismatched}].kind`, reasons: ['must equal the kind inside the token'] },
    ]);
  }
  return record;
}

/** The facts linkage weighs, from a validated record. */
export function subjectOf(record: RegisterRecord & RegisterRecordRequestDto): LinkageSubject {
  const subject = record.data.subject;
  return {
    recordId: record.recordId,
    tokens: record.tokens,
    birthYear: subject?.birthYear ?? null,
    sex: subject?.sex ?? null,
    birthDateEstimated: subject?.birthDateEstimated === true,
  };
}
