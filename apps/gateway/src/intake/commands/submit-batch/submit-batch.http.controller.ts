import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { SIGNAL_V1_EXAMPLES, SignalV1Dto } from '@ketenpoort/signal-contract';
import { GatewayError } from '../../../common/gateway-error.js';
import { OnListener } from '../../../common/listener.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { ApiErrors, PARTNER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { BatchIntake } from './batch-intake.js';
import { SIGNAL_RECEIPT_EXAMPLE } from '../submit-signal/signal-receipt.response.dto.js';
import { BatchReceiptLineDto, BatchSummaryLineDto } from './batch-line.response.dto.js';

const NDJSON = /^application\/(x-ndjson|jsonl|x-jsonlines)\s*(;|$)/i;
const NDJSON_MEDIA_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
@ApiTags('signals')
@ApiExtraModels(SignalV1Dto, BatchReceiptLineDto, BatchSummaryLineDto)
export class SubmitBatchHttpController {
  constructor(private readonly batch: BatchIntake) {}

  /**
   * 200 with NDJSON: one receipt per line, in order (`accepted`, `duplicate` or `refused` with the error),
   * then a summary line. Each receipt is written after its line is committed.
   */
  @Post('batch')
  @ApiOperation({
    summary: 'send many signals as NDJSON: one signal v1 per line, one receipt line per line back',
  })
  @ApiConsumes(...NDJSON_MEDIA_TYPES)
  @ApiBody({
    description:
      'newline-delimited JSON: each line is one signal v1 (schema `SignalV1Dto`, at most 64 KiB); lines are taken as they come',
    schema: { type: 'string', description: `each line: ${getSchemaPath(SignalV1Dto)}` },
    examples: {
      twoSignals: {
        summary: 'two lines',
        value: `${JSON.stringify(SIGNAL_V1_EXAMPLES.minimal.value)}\n${JSON.stringify(SIGNAL_V1_EXAMPLES.correction.value)}\n`,
      },
    },
  })
  @ApiOkResponse({
    description:
      'NDJSON, streamed: one receipt line per request line, in order (each written once its line is committed), then a summary line',
    content: {
      'application/x-ndjson': {
        schema: {
          description: 'each line is one of these',
          oneOf: [{ $ref: getSchemaPath(BatchReceiptLineDto) }, { $ref: getSchemaPath(BatchSummaryLineDto) }],
        },
        example: [
          JSON.stringify({
            line: 1,
            signalId: SIGNAL_RECEIPT_EXAMPLE.signalId,
            status: 'accepted',
            receipt: SIGNAL_RECEIPT_EXAMPLE,
          }),
          JSON.stringify({
            line: 2,
            status: 'refused',
            error: { code: 'SIGNAL.INVALID', message: 'the signal is not a valid signal v1' },
          }),
          JSON.stringify({ summary: { lines: 2, accepted: 1, duplicate: 0, refused: 1 } }),
          '',
        ].join('\n'),
      },
    },
  })
  @ApiErrors({
    ...PARTNER_ERRORS,
    415: '`SIGNAL.UNSUPPORTED_MEDIA_TYPE`: send `application/x-ndjson` (or `application/jsonl`, `application/x-jsonlines`)',
  })
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
