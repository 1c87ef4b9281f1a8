import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  SIGNAL_STATUSES,
  type FieldDecision,
  type SignalReceipt,
  type SignalStatus,
} from '@ketenpoort/signal-contract';

const FIELD_ACTIONS = ['forwarded', 'pseudonymised', 'generalised', 'dropped'] as const;

/** A whole receipt, as an example (fictional ids). */
export const SIGNAL_RECEIPT_EXAMPLE: SignalReceipt = {
  signalId: '7c1e4a2b-3d5f-4a6b-9c8d-0e1f2a3b4c5d',
  recordId: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d',
  status: 'accepted',
  purpose: 'registration',
  legalGround: 'Wpg art. 18 jo. Bpg art. 4:2',
  policyVersion: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592',
  receivedAt: '2024-03-14T10:30:01.123Z',
  correlationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  flags: ['age-unknown'],
  fields: [{ field: 'exploitation.forms', action: 'forwarded', outputs: ['exploitation.forms'] }],
};

/** What happened to one field of the signal (docs for `FieldDecision`). */
export class FieldDecisionResponseDto implements FieldDecision {
  @ApiProperty({ description: 'the field, by path (`[]` for array elements)', example: 'subject.birthDate' })
  field: string;

  @ApiProperty({
    enum: FIELD_ACTIONS,
    description: 'what the active policy did with it',
    example: 'generalised',
  })
  action: (typeof FIELD_ACTIONS)[number];

  @ApiPropertyOptional({
    type: 'string',
    isArray: true,
    description: 'output paths at the register this field produced',
    example: ['subject.birthYear', 'subject.ageBandAtReport'],
  })
  outputs?: string[];
}

/** The receipt of a signal (docs for `SignalReceipt`): ids, statuses and field names, never a value. */
export class SignalReceiptResponseDto implements SignalReceipt {
  @ApiProperty({ format: 'uuid', example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10' })
  signalId: string;

  @ApiProperty({
    format: 'uuid',
    description: 'the id of the record forwarded to the register',
    example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d',
  })
  recordId: string;

  @ApiProperty({ enum: SIGNAL_STATUSES, example: 'accepted' })
  status: SignalStatus;

  @ApiProperty({ example: 'registration' })
  purpose: string;

  @ApiProperty({ description: 'the legal ground of the release', example: 'Wpg art. 18 jo. Bpg art. 4:2' })
  legalGround: string;

  @ApiProperty({
    description: 'the policy version applied (hash of the policy)',
    example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592',
  })
  policyVersion: string;

  @ApiProperty({ format: 'date-time', example: '2024-03-14T10:30:01.123Z' })
  receivedAt: string;

  @ApiProperty({ format: 'uuid', example: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  correlationId: string;

  @ApiProperty({
    type: 'string',
    isArray: true,
    description: 'flags of the record',
    example: ['age-unknown'],
  })
  flags: string[];

  @ApiProperty({ type: () => FieldDecisionResponseDto, isArray: true, description: 'per field: what left' })
  fields: FieldDecisionResponseDto[];

  @ApiPropertyOptional({
    description: 'RFC 6962 leaf hash (base64) of the audit entry of this decision',
    example: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  })
  auditLeafHash?: string;
}
