import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { SIGNAL_V1_EXAMPLES, SignalV1Dto, type SignalReceipt } from '@ketenpoort/signal-contract';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { OnListener } from '../../../common/listener.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { ApiErrors, PARTNER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { SignalValidationPipe } from '../../signal-validation.pipe.js';
import { SignalReceiptResponseDto } from './signal-receipt.response.dto.js';
import { SubmitSignalCommand, type SubmitSignalResult } from './submit-signal.command.js';

@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
@ApiTags('signals')
@ApiExtraModels(SignalV1Dto)
export class SubmitSignalHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 202 with the receipt; the same body again: 200 with the original receipt; other content: 409. */
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'send one signal (v1); the partner is its client certificate, never the body' })
  @ApiBody({
    description: 'a signal v1 (`application/json`); unknown fields are refused',
    schema: { $ref: getSchemaPath(SignalV1Dto) },
    examples: SIGNAL_V1_EXAMPLES,
  })
  @ApiAcceptedResponse({ type: SignalReceiptResponseDto, description: 'accepted: the receipt' })
  @ApiOkResponse({
    type: SignalReceiptResponseDto,
    description: 'the same signal again: the original receipt',
  })
  @ApiErrors({
    ...PARTNER_ERRORS,
    400: '`SIGNAL.INVALID`, `HTTP.BAD_REQUEST`: not a valid signal v1 (`details`: field paths and reasons)',
    403: '`PARTNER.UNKNOWN`, `POLICY.PURPOSE_NOT_ALLOWED`, `POLICY.PURPOSE_UNKNOWN`, `POLICY.NO_GROUND`, `POLICY.CONSENT_REQUIRED`, `POLICY.GUARDIAN_CONSENT_REQUIRED`: refused (audited)',
    409: '`SIGNAL.ID_CONFLICT`: this signalId came before with other content; `SIGNAL.SUPERSEDES_ENDED`: the corrected signal has ended',
    413: '`SIGNAL.TOO_LARGE`: the body is larger than allowed',
    415: '`SIGNAL.UNSUPPORTED_MEDIA_TYPE`: send `application/json`',
    422: '`SIGNAL.SUPERSEDES_UNKNOWN`: `supersedes` names no signal of this partner; `POLICY.TRANSFORM_FAILED`',
    503: '`DATABASE.UNAVAILABLE`, `AUDIT.WRITE_FAILED`, `POLICY.NONE_ACTIVE`: nothing stored; retry after `Retry-After`',
  })
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
