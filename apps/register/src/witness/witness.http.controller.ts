import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  checkConsistentCheckpoint,
  cosignCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from '@ketenpoort/audit';
import { GatewayClientGuard } from '../auth/gateway-client.guard.js';
import { ListenerGuard, OnListener } from '../common/listener.js';
import { RegisterError } from '../common/register.error.js';
import { ApiErrors, INTAKE_ERRORS } from '../openapi/api-errors.decorator.js';
import { REGISTER_CONFIG, type RegisterConfig } from '../register.config.js';
import { CosignRequestDto, CosignResponseDto, WitnessStateResponseDto } from './witness.dto.js';
import { WITNESS_STORE, type WitnessStore } from './witness.store.js';

/**
 * The register as witness of the gateway's audit log (Sigstore's pattern): it cosigns a checkpoint only
 * after verifying the gateway's signature and a consistency proof from the last checkpoint it cosigned, so
 * the operator alone cannot rewrite history. Intake listener only (mTLS, the gateway).
 */
@Controller('v1/witness')
@OnListener('intake')
@UseGuards(ListenerGuard, GatewayClientGuard)
@ApiTags('witness (gateway)')
@ApiErrors({
  ...INTAKE_ERRORS,
  404: '`NOT_FOUND`: only the intake listener serves it, and only when this register is a witness',
})
export class WitnessHttpController {
  constructor(
    @Inject(REGISTER_CONFIG) private readonly config: RegisterConfig,
    @Inject(WITNESS_STORE) private readonly store: WitnessStore,
  ) {}

  private get witness() {
    if (!this.config.witness) throw new RegisterError('NOT_FOUND', 'this register is no witness');
    return this.config.witness;
  }

  @Get('state')
  @ApiOperation({ summary: 'the last checkpoint this witness cosigned' })
  @ApiOkResponse({ type: WitnessStateResponseDto })
  async state(): Promise<{ size: number; rootHash: string | null }> {
    const last = await this.store.last(this.witness.origin);
    return { size: last?.checkpoint.size ?? 0, rootHash: last?.checkpoint.rootHash ?? null };
  }

  @Post('cosign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'cosign a checkpoint, after checking its signature and consistency with the last one',
  })
  @ApiBody({ type: CosignRequestDto })
  @ApiOkResponse({ type: CosignResponseDto })
  @ApiErrors({
    400: '`REQUEST.INVALID`: not `{ checkpoint, proof }`, or a checkpoint of another log',
    401: '`RECORD.SIGNATURE_INVALID`: the checkpoint signature does not verify',
    409: '`WITNESS.INCONSISTENT`: the checkpoint is not consistent with the last one cosigned',
  })
  async cosign(@Body() body: { checkpoint?: unknown; proof?: unknown }): Promise<{ cosignature: string }> {
    const { auditJwks, origin } = this.witness;
    if (
      typeof body?.checkpoint !== 'string' ||
      !Array.isArray(body.proof) ||
      !body.proof.every((p) => typeof p === 'string')
    ) {
      throw new RegisterError('REQUEST.INVALID', 'send { checkpoint: JWS, proof: base64[] }');
    }
    let checkpoint: Checkpoint;
    try {
      ({ checkpoint } = await verifyCheckpoint(body.checkpoint, auditJwks));
    } catch {
      throw new RegisterError('RECORD.SIGNATURE_INVALID', 'the checkpoint signature does not verify');
    }
    if (checkpoint.origin !== origin) throw new RegisterError('REQUEST.INVALID', 'checkpoint of another log');
    const proof = (body.proof as string[]).map((p) => Buffer.from(p, 'base64'));
    const state = await this.store.advance(origin, async (current) => {
      if (
        current &&
        current.checkpoint.size === checkpoint.size &&
        current.checkpoint.rootHash === checkpoint.rootHash
      ) {
        return current;
      }
      try {
        checkConsistentCheckpoint(current?.checkpoint, checkpoint, proof);
      } catch {
        throw new RegisterError(
          'WITNESS.INCONSISTENT',
          'the checkpoint is not consistent with the last one cosigned',
        );
      }
      return { checkpoint, cosignature: await cosignCheckpoint(checkpoint, this.config.signingKey) };
    });
    return { cosignature: state.cosignature };
  }
}
