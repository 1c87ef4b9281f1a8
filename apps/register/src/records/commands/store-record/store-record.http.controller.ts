import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CLIENT_NAME, GatewayClientGuard } from '../../../auth/gateway-client.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { RegisterError } from '../../../common/register.error.js';
import { ApiErrors, INTAKE_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { RegisterRecordRequestDto } from './register-record.request.dto.js';
import { StoreRecordCommand } from './store-record.command.js';
import { StoreRecordResponseDto } from './store-record.response.dto.js';

const JOSE = /^application\/jose\s*(?:;.*)?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `POST /v1/records` on the intake listener: a record JWS from the gateway in, a signed receipt out. */
@Controller('v1/records')
@OnListener('intake')
@UseGuards(ListenerGuard, GatewayClientGuard)
@ApiTags('intake (gateway)')
@ApiExtraModels(RegisterRecordRequestDto)
export class StoreRecordHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: "store one record: the gateway's signed delivery in, a signed receipt out (idempotent)",
  })
  @ApiConsumes('application/jose')
  @ApiHeader({ name: 'x-correlation-id', required: false, description: 'UUID carried into the log' })
  @ApiBody({
    description: `a compact JWS (typ \`ketenpoort-record+jws\`) signed by the gateway; its \`record\` claim is ${getSchemaPath(RegisterRecordRequestDto)} and its \`jti\` the recordId`,
    schema: {
      type: 'string',
      example: 'eyJhbGciOiJFZERTQSIsInR5cCI6ImtldGVucG9vcnQtcmVjb3JkK2p3cyJ9.eyJyZWNvcmQiOnt9fQ.c2ln',
    },
  })
  @ApiCreatedResponse({ type: StoreRecordResponseDto, description: 'stored' })
  @ApiOkResponse({ type: StoreRecordResponseDto, description: 'stored before: the receipt again' })
  @ApiErrors({
    ...INTAKE_ERRORS,
    400: '`RECORD.INVALID`: the record claim is invalid (`fields`); `REQUEST.INVALID`: the body is empty',
    401: '`RECORD.SIGNATURE_INVALID`: the signature does not verify',
    409: '`RECORD.CONFLICT`: the record was retracted, withdrawn or superseded, or came before with other content',
    413: '`REQUEST.TOO_LARGE`: the body is too large',
    415: '`REQUEST.UNSUPPORTED_MEDIA_TYPE`: send `application/jose`',
  })
  async store(
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-correlation-id') correlationHeader: string | undefined,
    @Body() body: unknown,
    @Req() request: { [CLIENT_NAME]?: string; correlationId?: string },
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<{ receipt: string }> {
    if (!JOSE.test(contentType ?? '')) {
      throw new RegisterError(
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        'the body must be a compact JWS (application/jose)',
      );
    }
    if (typeof body !== 'string' || body.trim() === '') {
      throw new RegisterError('REQUEST.INVALID', 'the body must be a compact JWS');
    }
    // The one the access line carries (set by the middleware from the same header).
    const correlationId =
      request.correlationId ?? (UUID.test(correlationHeader ?? '') ? correlationHeader! : randomUUID());
    const result = await this.commandBus.execute(
      new StoreRecordCommand(body.trim(), request[CLIENT_NAME] ?? 'unknown', correlationId),
    );
    if (!result.created) response.status(200);
    return { receipt: result.receipt };
  }
}
