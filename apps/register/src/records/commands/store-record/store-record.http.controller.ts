import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLIENT_NAME, GatewayClientGuard } from '../../../auth/gateway-client.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { RegisterError } from '../../../common/register.error.js';
import { StoreRecordCommand } from './store-record.command.js';

const JOSE = /^application\/jose\s*(?:;.*)?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `POST /v1/records` on the intake listener: a record JWS from the gateway in, a signed receipt out. */
@Controller('v1/records')
@OnListener('intake')
@UseGuards(ListenerGuard, GatewayClientGuard)
export class StoreRecordHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  async store(
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-correlation-id') correlationHeader: string | undefined,
    @Body() body: unknown,
    @Req() request: { [CLIENT_NAME]?: string },
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
    const correlationId = UUID.test(correlationHeader ?? '') ? correlationHeader! : randomUUID();
    const result = await this.commandBus.execute(
      new StoreRecordCommand(body.trim(), request[CLIENT_NAME] ?? 'unknown', correlationId),
    );
    if (!result.created) response.status(200);
    return { receipt: result.receipt };
  }
}
