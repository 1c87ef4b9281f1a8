import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayError } from '../../../common/gateway-error.js';
import { OnListener } from '../../../common/listener.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { BatchIntake } from './batch-intake.js';

const NDJSON = /^application\/(x-ndjson|jsonl|x-jsonlines)\s*(;|$)/i;

@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
export class SubmitBatchHttpController {
  constructor(private readonly batch: BatchIntake) {}

  /**
   * 200 with NDJSON: one receipt per line, in order (`accepted`, `duplicate` or `refused` with the error),
   * then a summary line. Each receipt is written after its line is committed.
   */
  @Post('batch')
  async submit(
    @CurrentPartner() partner: AuthenticatedPartner,
    @Req() request: Request & { correlationId: string },
    @Res() response: Response,
  ): Promise<void> {
    if (!NDJSON.test(request.header('content-type') ?? '')) {
      throw new GatewayError('SIGNAL.UNSUPPORTED_MEDIA_TYPE', 'send the batch as application/x-ndjson');
    }
    await this.batch.process(request, response, partner, request.correlationId);
  }
}
