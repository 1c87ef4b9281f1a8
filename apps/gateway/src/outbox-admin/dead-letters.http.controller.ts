import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards, type LoggerService } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AdminActor } from '../admin/admin-actor.js';
import { AdminAuthGuard, CurrentAdmin, Roles } from '../admin/admin-auth.guard.js';
import { GatewayError } from '../common/gateway-error.js';
import { OnListener } from '../common/listener.js';
import { GATEWAY_LOGGER } from '../common/tokens.js';
import { OutboxWorker } from '../forwarding/outbox.worker.js';
import { ADMIN_ERRORS, ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  DeadLettersResponseDto,
  ReplayDeadLettersRequestDto,
  ReplayDeadLettersResponseDto,
} from './dead-letters.dto.js';
import { DeadLetterRepository } from './infrastructure/dead-letter.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** At most this many dead letters per call (list or replay-all). */
export const DEAD_LETTER_PAGE = 500;

/**
 * Dead letters for integrators: `GET /v1/admin/outbox/dead-letters` lists them (ids and refusal codes
 * only), `POST /v1/admin/outbox/dead-letters/replay` with `{ "recordIds": [...] }` (or `{}` for all, up to
 * 500) sends them again once the cause is fixed; each replay is audited with the caller.
 */
@Controller('v1/admin/outbox/dead-letters')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
@Roles('integrator')
@ApiTags('admin: outbox')
@ApiBearerAuth('bearer')
@ApiErrors(ADMIN_ERRORS)
export class DeadLettersHttpController {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly worker: OutboxWorker,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'records the register refused for good (ids and refusal codes only; role integrator)',
  })
  @ApiOkResponse({ type: DeadLettersResponseDto })
  async list() {
    return { deadLetters: await this.deadLetters.list(DEAD_LETTER_PAGE) };
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'send dead letters again once the cause is fixed (audited)' })
  @ApiBody({ type: ReplayDeadLettersRequestDto, required: false })
  @ApiOkResponse({ type: ReplayDeadLettersResponseDto })
  @ApiErrors({ 400: '`HTTP.BAD_REQUEST`: the body is not `{}` or `{ "recordIds": [1-500 UUIDs] }`' })
  async replay(@Body() body: unknown, @CurrentAdmin() actor: AdminActor) {
    const recordIds = parseRecordIds(body);
    const replayed = await this.deadLetters.replay(recordIds, DEAD_LETTER_PAGE, actor.sub);
    if (replayed.length > 0) this.worker.wake();
    this.logger.log({ msg: 'dead letters replayed', count: replayed.length, actor: actor.sub }, 'Outbox');
    return { replayed };
  }
}

function parseRecordIds(body: unknown): string[] | null {
  if (body === undefined || body === null) return null;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError(
      'HTTP.BAD_REQUEST',
      'the body must be an object: { "recordIds": [uuid, …] } or {}',
    );
  }
  const ids = (body as { recordIds?: unknown }).recordIds;
  if (ids === undefined) return null;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > DEAD_LETTER_PAGE ||
    !ids.every((id) => typeof id === 'string' && UUID.test(id))
  ) {
    throw new GatewayError(
      'HTTP.BAD_REQUEST',
      `recordIds must be a list of 1 to ${DEAD_LETTER_PAGE} record ids (UUIDs)`,
    );
  }
  return ids as string[];
}
