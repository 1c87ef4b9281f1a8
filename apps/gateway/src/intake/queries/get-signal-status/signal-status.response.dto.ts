import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SIGNAL_STATUSES, type SignalStatus } from '@ketenpoort/signal-contract';

/** What a partner learns about its signal: ids and status, never a token or a value. */
export class SignalStatusResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10' })
  signalId: string;

  @ApiProperty({ format: 'uuid', example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d' })
  recordId: string;

  @ApiProperty({ enum: SIGNAL_STATUSES, example: 'delivered' })
  status: SignalStatus;

  @ApiProperty({ example: 'registration' })
  purpose: string;

  @ApiProperty({ example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592' })
  policyVersion: string;

  @ApiProperty({ format: 'date-time', example: '2024-03-14T10:30:01.123Z' })
  receivedAt: string;

  @ApiProperty({ type: 'integer', description: 'deliveries tried so far', example: 1 })
  deliveryAttempts: number;

  /** Index of the audit entry that recorded this signal's intake, once integrated in the log. */
  @ApiPropertyOptional({
    type: 'integer',
    description: "index of the audit entry of the signal's intake, once integrated in the log",
    example: 41,
  })
  auditIndex?: number;

  @ApiPropertyOptional({
    description: 'RFC 6962 leaf hash (base64) of that entry',
    example: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  })
  auditLeafHash?: string;
}
