import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SignalReceiptResponseDto } from '../submit-signal/signal-receipt.response.dto.js';
import type { BatchReceiptLine, BatchSummaryLine } from './batch-intake.js';

/** Why one line was refused: the shared error shape, per line. */
export class BatchLineErrorDto {
  @ApiProperty({ description: 'stable error code', example: 'SIGNAL.INVALID' })
  code: string;

  @ApiProperty({ example: 'the signal is not a valid signal v1' })
  message: string;

  @ApiPropertyOptional({
    description: 'field paths and reasons (never a submitted value)',
    example: [{ path: 'subject.birthDate', reasons: ['must be a date YYYY, YYYY-MM or YYYY-MM-DD'] }],
  })
  details?: unknown;
}

/** One receipt line of the NDJSON answer, in the order of the request's lines. */
export class BatchReceiptLineDto implements BatchReceiptLine {
  @ApiProperty({ type: 'integer', description: '1-based line number in the request', example: 1 })
  line: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "the line's signalId, when it was a well-formed id",
    example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10',
  })
  signalId?: string;

  @ApiProperty({
    enum: ['accepted', 'duplicate', 'refused'],
    description: '`duplicate`: the same signal came before (its original receipt)',
    example: 'accepted',
  })
  status: 'accepted' | 'duplicate' | 'refused';

  @ApiPropertyOptional({ type: () => SignalReceiptResponseDto, description: 'when accepted or duplicate' })
  receipt?: SignalReceiptResponseDto;

  @ApiPropertyOptional({ type: () => BatchLineErrorDto, description: 'when refused' })
  error?: BatchLineErrorDto;
}

class BatchSummaryDto {
  @ApiProperty({ type: 'integer', description: 'lines read', example: 3 })
  lines: number;

  @ApiProperty({ type: 'integer', example: 2 })
  accepted: number;

  @ApiProperty({ type: 'integer', example: 0 })
  duplicate: number;

  @ApiProperty({ type: 'integer', example: 1 })
  refused: number;

  @ApiPropertyOptional({
    enum: ['BATCH.IDLE_TIMEOUT', 'BATCH.TOO_MANY_LINES', 'BATCH.ABORTED'],
    description: 'why reading stopped before the end of the request, if it did',
  })
  stoppedBy?: BatchSummaryLine['summary']['stoppedBy'];
}

/** The last line of the NDJSON answer. */
export class BatchSummaryLineDto implements BatchSummaryLine {
  @ApiProperty({ type: () => BatchSummaryDto })
  summary: BatchSummaryDto;
}
