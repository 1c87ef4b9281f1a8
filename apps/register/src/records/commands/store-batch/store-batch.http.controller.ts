import { randomUUID } from 'node:crypto';
import { Controller, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { CLIENT_NAME, GatewayClientGuard } from '../../../auth/gateway-client.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { RegisterError } from '../../../common/register.error.js';
import { RegisterPrometheusRegistry } from '../../../metrics/register-prometheus.registry.js';
import { ApiErrors, INTAKE_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { StoreBatchCommand, type StoreBatchResult } from './store-batch.command.js';
import { StoreBatchRequestDto, StoreBatchResponseDto } from './store-batch.dto.js';

/** The media type of a record batch: JSON `{ batch: <compact JWS>, records: [...] }`. */
export const RECORD_BATCH_MEDIA_TYPE = 'application/vnd.ketenpoort.record-batch+json';
const BATCH_TYPE = /^application\/vnd\.ketenpoort\.record-batch\+json\s*(?:;.*)?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A batch of up to 2,000 records of a few KiB each. */
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

/**
 * `POST /v1/records/batch` on the intake listener: a signed batch in, one result per record out (each with
 * its own signed receipt). The body is read here, not by the app's body parsers (their limit fits one record).
 */
@Controller('v1/records')
@OnListener('intake')
@UseGuards(ListenerGuard, GatewayClientGuard)
@ApiTags('intake (gateway)')
export class StoreBatchHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly prometheus: RegisterPrometheusRegistry,
  ) {}

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'store a signed batch of records: one result (with its own signed receipt) per record',
  })
  @ApiConsumes(RECORD_BATCH_MEDIA_TYPE)
  @ApiHeader({ name: 'x-correlation-id', required: false, description: 'UUID carried into the log' })
  @ApiBody({ type: StoreBatchRequestDto })
  @ApiOkResponse({ type: StoreBatchResponseDto })
  @ApiErrors({
    ...INTAKE_ERRORS,
    400: '`REQUEST.INVALID`: not JSON, no batch JWS or records, or the records do not match the signed batch',
    401: '`RECORD.SIGNATURE_INVALID`: the batch signature does not verify',
    413: '`REQUEST.TOO_LARGE`: the batch is larger than 32 MiB',
    415: `\`REQUEST.UNSUPPORTED_MEDIA_TYPE\`: send \`${RECORD_BATCH_MEDIA_TYPE}\``,
  })
  async store(
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-correlation-id') correlationHeader: string | undefined,
    @Req() request: IncomingMessage & { [CLIENT_NAME]?: string; correlationId?: string },
  ): Promise<StoreBatchResult> {
    if (!BATCH_TYPE.test(contentType ?? '')) {
      throw new RegisterError(
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        `the body must be ${RECORD_BATCH_MEDIA_TYPE}`,
      );
    }
    const body = await readBody(request);
    let parsed: { batch?: unknown; records?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw new RegisterError('REQUEST.INVALID', 'the body is not valid JSON');
    }
    if (typeof parsed?.batch !== 'string' || !Array.isArray(parsed.records)) {
      throw new RegisterError('REQUEST.INVALID', 'the body must hold a batch JWS and its records', [
        { path: 'batch', reasons: ['must be a compact JWS'] },
        { path: 'records', reasons: ['must be an array'] },
      ]);
    }
    // The one the access line carries (set by the middleware from the same header).
    const correlationId =
      request.correlationId ?? (UUID.test(correlationHeader ?? '') ? correlationHeader! : randomUUID());
    const result = await this.commandBus.execute(
      new StoreBatchCommand(parsed.batch, parsed.records, request[CLIENT_NAME] ?? 'unknown', correlationId),
    );
    for (const r of result.results) {
      if (r.status === 'stored') this.prometheus.deliveries.inc({ outcome: 'stored', code: '' });
      else if (r.status === 'existing') this.prometheus.deliveries.inc({ outcome: 'replayed', code: '' });
      else this.prometheus.deliveries.inc({ outcome: 'refused', code: r.error?.code ?? 'REFUSED' });
    }
    return result;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BATCH_BYTES) {
      request.destroy();
      throw new RegisterError('REQUEST.TOO_LARGE', 'the batch is larger than allowed');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}
