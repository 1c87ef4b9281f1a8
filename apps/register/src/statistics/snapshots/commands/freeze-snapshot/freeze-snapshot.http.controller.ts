import { randomUUID } from 'node:crypto';
import { Controller, Headers, Post, Query, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerTokenGuard, RequireRole } from '../../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../../common/listener.js';
import { ApiErrors, BEARER_ERRORS } from '../../../../openapi/api-errors.decorator.js';
import { tokenSubject } from '../../../../steward/token-subject.js';
import { FreezeSnapshotCommand } from './freeze-snapshot.command.js';
import { FreezeSnapshotRequestDto } from './freeze-snapshot.request.dto.js';
import { FreezeSnapshotResponseDto } from './freeze-snapshot.response.dto.js';
import type { StoredSnapshot } from '../../statistics-snapshot.store.js';

interface StatusResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/**
 * `POST /v1/statistics/snapshots?year=2020` (analyst): 201 with the new snapshot, 200 with the one already
 * frozen. The year travels in the query: the register API parses no JSON bodies.
 */
@Controller('v1/statistics/snapshots')
@OnListener('api')
@RequireRole('analyst')
@UseGuards(ListenerGuard, BearerTokenGuard)
@ApiTags('statistics')
@ApiBearerAuth('bearer')
export class FreezeSnapshotHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: "freeze a year's published figures, so that later revisions show (role analyst)" })
  @ApiCreatedResponse({ type: FreezeSnapshotResponseDto, description: 'frozen now' })
  @ApiOkResponse({ type: FreezeSnapshotResponseDto, description: 'frozen before: that snapshot' })
  @ApiErrors({ ...BEARER_ERRORS, 400: '`REQUEST.INVALID`: year missing or out of range (`fields`)' })
  async freeze(
    @Query() request: FreezeSnapshotRequestDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: StatusResponse,
  ): Promise<StoredSnapshot> {
    const result = await this.commandBus.execute(
      new FreezeSnapshotCommand(request.year, tokenSubject(authorization), randomUUID(), new Date()),
    );
    response.status(result.created ? 201 : 200);
    response.setHeader('Cache-Control', 'no-store');
    return result.snapshot;
  }
}
