import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { RegisterError } from '../common/register.error.js';
import { validatePlain } from '../common/validation.js';
import type { LinkageSubject } from '../linkage/index.js';
import { RegisterRecordRequestDto } from './commands/store-record/register-record.request.dto.js';

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
