import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GatewayClientGuard } from '../../../auth/gateway-client.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { RegisterError } from '../../../common/register.error.js';
import { ApiErrors, INTAKE_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { LifecycleSigner } from '../../lifecycle.signer.js';
import { RECORD_REMOVAL_STORE, type RecordRemovalStore } from '../../record-removal.js';
import { RetentionReportsResponseDto } from './retention-reports.response.dto.js';

const PAGE = 100;

/**
 * `GET /v1/retention-reports?after=<seq>` on the intake listener (mTLS, the gateway): the retention job's
 * reports after `seq`, each a JWS signed by the register — counts per purpose, never contents.
 */
@Controller('v1/retention-reports')
@OnListener('intake')
@UseGuards(ListenerGuard, GatewayClientGuard)
@ApiTags('intake (gateway)')
export class GetRetentionReportsHttpController {
  constructor(
    private readonly signer: LifecycleSigner,
    @Inject(RECORD_REMOVAL_STORE) private readonly store: RecordRemovalStore,
  ) {}

  @Get()
  @ApiOperation({ summary: "the retention job's signed reports after a sequence number (counts only)" })
  @ApiQuery({ name: 'after', required: false, schema: { type: 'integer', minimum: 0, default: 0 } })
  @ApiOkResponse({ type: RetentionReportsResponseDto })
  @ApiErrors({ ...INTAKE_ERRORS, 400: '`REQUEST.INVALID`: after is not a whole number ≥ 0' })
  async list(@Query('after') after: string | undefined): Promise<{ reports: string[] }> {
    const seq = after === undefined ? 0 : Number(after);
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new RegisterError('REQUEST.INVALID', 'after must be a whole number ≥ 0', [
        { path: 'after', reasons: ['must be a whole number ≥ 0'] },
      ]);
    const reports = await this.store.retentionReportsAfter(seq, PAGE);
    return {
      reports: await Promise.all(
        reports.map((r) =>
          this.signer.retentionReport({
            reportId: r.reportId,
            seq: r.seq,
            ranAt: r.ranAt.toISOString(),
            deleted: r.deleted,
          }),
        ),
      ),
    };
  }
}
