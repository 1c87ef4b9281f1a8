import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import type { SignalReceipt, SignalV1Dto } from '@ketenpoort/signal-contract';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { OnListener } from '../../../common/listener.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { SignalValidationPipe } from '../../signal-validation.pipe.js';
import { SubmitSignalCommand, type SubmitSignalResult } from './submit-signal.command.js';

@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
export class SubmitSignalHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 202 with the receipt; the same body again: 200 with the original receipt; other content: 409. */
  @Post()
  @HttpCode(202)
  async submit(
    @CurrentPartner() partner: AuthenticatedPartner,
    @Req() request: Request & { correlationId: string },
    @Body(SignalValidationPipe) signal: SignalV1Dto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignalReceipt> {
    const result = await this.commandBus.execute<SubmitSignalCommand, SubmitSignalResult>(
      new SubmitSignalCommand(request.correlationId, partner, new Date(), signal, request.body),
    );
    if (result.replayed) response.status(200);
    return result.receipt;
  }
}
