import { ApiProperty } from '@nestjs/swagger';
import { RETRACTION_REASONS, type RetractionReason } from '@ketenpoort/signal-contract';

/**
 * The body of a retraction, for the docs: the controller checks it itself (`onlyKeys`), so that an unknown
 * key is named and no value is echoed.
 */
export class RetractSignalRequestDto {
  @ApiProperty({
    enum: RETRACTION_REASONS,
    description: 'why the signal is retracted: a code, never free text (free text could carry personal data)',
    example: 'entered-in-error',
  })
  reason: RetractionReason;
}
