import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { buildInclusionProof, readNodesFromStrata } from '@ketenpoort/audit';
import { AuditCheckpointStore } from '../../../audit/infrastructure/audit-checkpoint.store.js';
import { AuditLog, NODE_STRIDE } from '../../../audit/infrastructure/audit-log.repository.js';
import { GatewayError } from '../../../common/gateway-error.js';
import { OnListener } from '../../../common/listener.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { ApiErrors, PARTNER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { SignalProofResponseDto } from './signal-proof.response.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A partner fetches the inclusion proof of its own signal's audit entry against the latest cosigned
 * checkpoint — and nobody else's: another partner's signal id is a 404 like an unknown one.
 */
@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
@ApiTags('signals')
export class GetSignalProofHttpController {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly checkpoints: AuditCheckpointStore,
  ) {}

  @Get(':signalId/proof')
  @ApiOperation({
    summary: "the inclusion proof of the signal's audit entry against the latest cosigned checkpoint",
  })
  @ApiParam({ name: 'signalId', format: 'uuid', example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10' })
  @ApiOkResponse({ type: SignalProofResponseDto })
  @ApiErrors({
    ...PARTNER_ERRORS,
    404: '`SIGNAL.NOT_FOUND`: no signal with this id from this partner',
    409: '`AUDIT.NOT_YET_CHECKPOINTED`: the entry is not yet covered by a cosigned checkpoint; retry shortly',
  })
  async proof(
    @CurrentPartner() { partner }: AuthenticatedPartner,
    @Param('signalId') signalId: string,
  ): Promise<SignalProofResponseDto> {
    const entry = UUID.test(signalId)
      ? await this.auditLog.receivedEntry(partner.id, signalId.toLowerCase())
      : null;
    if (!entry) throw new GatewayError('SIGNAL.NOT_FOUND', 'no signal with this id from this partner');
    const checkpoint = await this.checkpoints.latestCosigned();
    if (!checkpoint || checkpoint.size <= entry.idx) {
      throw new GatewayError(
        'AUDIT.NOT_YET_CHECKPOINTED',
        'the entry is not yet covered by a cosigned checkpoint; retry shortly',
      );
    }
    const proof = await buildInclusionProof(entry.idx, checkpoint.size, (ids) =>
      readNodesFromStrata(ids, this.auditLog.nodeReader(), NODE_STRIDE),
    );
    return {
      index: entry.idx,
      leafHash: entry.leafHash.toString('base64'),
      size: checkpoint.size,
      checkpoint: checkpoint.jws,
      cosignatures: checkpoint.cosignatures,
      proof: proof.map((h) => h.toString('base64')),
    };
  }
}
