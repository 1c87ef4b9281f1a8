import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Inject,
  type LoggerService,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayClientGuard } from '../../../auth/gateway-client.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { RegisterError } from '../../../common/register.error.js';
import { ApiErrors, INTAKE_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { REGISTER_LOGGER } from '../../../register.config.js';
import { LifecycleSigner } from '../../lifecycle.signer.js';
import { RECORD_REMOVAL_STORE, type RecordRemovalStore } from '../../record-removal.js';
import { RemovalRequestVerifier } from './removal-request.verifier.js';
import { RemoveRecordResponseDto } from './remove-record.response.dto.js';

const JOSE = /^application\/jose\s*(?:;.*)?$/i;

/**
 * `POST /v1/record-removals` on the intake listener: the gateway's signed request to remove one record
 * (retraction or withdrawn consent). Idempotent: a repeated request gets the first answer. Answers with a
 * signed receipt naming the grounds under which the same person's other records stay.
 */
@Controller('v1/record-removals')
@OnListener('intake')
@UseGuards(ListenerGuard, GatewayClientGuard)
@ApiTags('intake (gateway)')
export class RemoveRecordHttpController {
  constructor(
    private readonly verifier: RemovalRequestVerifier,
    private readonly signer: LifecycleSigner,
    @Inject(RECORD_REMOVAL_STORE) private readonly store: RecordRemovalStore,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "remove one record (retraction or withdrawn consent), on the gateway's signed request",
  })
  @ApiConsumes('application/jose')
  @ApiBody({
    description:
      'a compact JWS (typ `ketenpoort-record-removal+jws`) signed by the gateway; its `removal` claim: `{ recordId, cause: retracted | consent-withdrawn | superseded, reason? }`',
    schema: { type: 'string', example: 'eyJhbGciOiJFZERTQSJ9.eyJyZW1vdmFsIjp7fX0.c2ln' },
  })
  @ApiOkResponse({
    type: RemoveRecordResponseDto,
    description: 'removed (or not held); a repeated request gets the first answer',
  })
  @ApiErrors({
    ...INTAKE_ERRORS,
    401: '`RECORD.SIGNATURE_INVALID`: the signature does not verify',
    415: '`REQUEST.UNSUPPORTED_MEDIA_TYPE`: send a compact JWS as `application/jose`',
  })
  async remove(
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<{ receipt: string }> {
    if (!JOSE.test(contentType ?? '') || typeof body !== 'string' || body.trim() === '') {
      throw new RegisterError(
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        'the body must be a compact JWS (application/jose)',
      );
    }
    const { removal, jti } = await this.verifier.verify(body.trim());
    const outcome = await this.store.inTransaction((tx) =>
      tx.remove(removal.recordId, { cause: removal.cause, reason: removal.reason ?? null }),
    );
    this.logger.log({
      message: 'record removal',
      recordId: removal.recordId,
      cause: removal.cause,
      removed: outcome.removed,
      repeated: outcome.repeated,
    });
    const receipt = await this.signer.removalReceipt(
      {
        recordId: removal.recordId,
        cause: removal.cause,
        removed: outcome.removed,
        removedAt: outcome.removedAt,
        keptGrounds: outcome.keptGrounds,
      },
      jti,
    );
    return { receipt };
  }
}
