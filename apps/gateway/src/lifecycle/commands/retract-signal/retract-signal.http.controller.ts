import { Body, Controller, Delete, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RETRACTION_REASONS, type RetractionReason } from '@ketenpoort/signal-contract';
import { GatewayError } from '../../../common/gateway-error.js';
import { OnListener } from '../../../common/listener.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { ApiErrors, PARTNER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { SignalLifecycle, type LifecycleAnswer } from '../../signal-lifecycle.service.js';
import { LifecycleAnswerResponseDto } from './lifecycle-answer.response.dto.js';
import { RetractSignalRequestDto } from './retract-signal.request.dto.js';

const SIGNAL_ID_PARAM = { name: 'signalId', format: 'uuid', example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signalId of the path, lower-cased; 400 when it is no UUID. */
export function signalIdParam(signalId: string): string {
  if (!UUID.test(signalId)) {
    throw new GatewayError('SIGNAL.INVALID', 'signalId must be a UUID', [
      { path: 'signalId', reasons: ['must be a UUID'] },
    ]);
  }
  return signalId.toLowerCase();
}

/** Refuses any key but the allowed ones (by name; values are never echoed). */
export function onlyKeys(body: unknown, allowed: string[]): Record<string, unknown> {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0))
    return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new GatewayError('SIGNAL.INVALID', 'the body must be a JSON object', [
      { path: '', reasons: ['must be an object'] },
    ]);
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) {
    throw new GatewayError(
      'SIGNAL.INVALID',
      'the body holds unknown fields',
      unknown.slice(0, 20).map((k) => ({ path: k.slice(0, 60), reasons: ['is not allowed'] })),
    );
  }
  return body as Record<string, unknown>;
}

/**
 * `DELETE /v1/signals/{signalId}` with `{ "reason": <code> }`: the partner retracts its own signal. A
 * reason is a code (never free text: it could carry personal data). Another partner's signal is a 404.
 */
@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
@ApiTags('signals')
@ApiParam(SIGNAL_ID_PARAM)
@ApiOkResponse({ type: LifecycleAnswerResponseDto, description: 'the signal has ended' })
export class RetractSignalHttpController {
  constructor(private readonly lifecycle: SignalLifecycle) {}

  @Delete(':signalId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'retract a signal (with a reason code); the register is asked to remove its record',
  })
  @ApiBody({ type: RetractSignalRequestDto })
  @ApiErrors({
    ...PARTNER_ERRORS,
    400: '`SIGNAL.INVALID`: signalId is not a UUID, the reason is missing or unknown, or the body holds other fields',
    404: '`SIGNAL.NOT_FOUND`: no signal with this id from this partner',
    409: '`LIFECYCLE.ALREADY_ENDED`: the signal was already retracted, withdrawn or superseded',
  })
  retract(
    @CurrentPartner() partner: AuthenticatedPartner,
    @Param('signalId') signalId: string,
    @Req() request: Request & { correlationId: string },
    @Body() body: unknown,
  ): Promise<LifecycleAnswer> {
    const id = signalIdParam(signalId);
    const { reason } = onlyKeys(body, ['reason']);
    if (!(RETRACTION_REASONS as readonly unknown[]).includes(reason)) {
      throw new GatewayError('SIGNAL.INVALID', 'a retraction needs a reason code', [
        { path: 'reason', reasons: [`must be one of: ${RETRACTION_REASONS.join(', ')}`] },
      ]);
    }
    return this.lifecycle.retract(
      { correlationId: request.correlationId, actor: partner, at: new Date() },
      id,
      reason as RetractionReason,
    );
  }

  /** `POST /v1/signals/{signalId}/consent-withdrawal`: only for a signal that rested on consent (else 409). */
  @Post(':signalId/consent-withdrawal')
  @HttpCode(200)
  @ApiOperation({ summary: 'the subject withdrew consent: ends a signal that rested on consent' })
  @ApiBody({
    required: false,
    description: 'empty, or `{}`',
    schema: { type: 'object', additionalProperties: false },
  })
  @ApiErrors({
    ...PARTNER_ERRORS,
    400: '`SIGNAL.INVALID`: signalId is not a UUID, or the body holds fields',
    404: '`SIGNAL.NOT_FOUND`: no signal with this id from this partner',
    409: '`LIFECYCLE.NOT_ON_CONSENT`: the signal did not rest on consent (retract it instead); `LIFECYCLE.ALREADY_ENDED`',
  })
  withdrawConsent(
    @CurrentPartner() partner: AuthenticatedPartner,
    @Param('signalId') signalId: string,
    @Req() request: Request & { correlationId: string },
    @Body() body: unknown,
  ): Promise<LifecycleAnswer> {
    const id = signalIdParam(signalId);
    onlyKeys(body, []);
    return this.lifecycle.withdrawConsent(
      { correlationId: request.correlationId, actor: partner, at: new Date() },
      id,
    );
  }
}
