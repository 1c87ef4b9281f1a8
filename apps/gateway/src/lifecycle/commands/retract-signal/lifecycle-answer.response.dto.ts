import { ApiProperty } from '@nestjs/swagger';
import type { LifecycleAnswer } from '../../signal-lifecycle.service.js';

/** The answer to a retraction or a consent withdrawal. */
export class LifecycleAnswerResponseDto implements LifecycleAnswer {
  @ApiProperty({ format: 'uuid', example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10' })
  signalId: string;

  @ApiProperty({ format: 'uuid', example: 'b7e4c1d2-8a3f-4b6e-9c5d-1e2f3a4b5c6d' })
  recordId: string;

  @ApiProperty({ enum: ['retracted', 'withdrawn'], example: 'retracted' })
  status: 'retracted' | 'withdrawn';

  @ApiProperty({ description: 'the retraction reason, or `consent-withdrawn`', example: 'entered-in-error' })
  reason: string;

  @ApiProperty({ description: 'the record never left the gateway: its delivery was stopped', example: false })
  deliveryStopped: boolean;

  @ApiProperty({
    description: 'the register is asked (signed) to remove the record; its answer is audited',
    example: true,
  })
  removalRequested: boolean;
}
