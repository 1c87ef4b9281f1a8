import { Body, Controller, Delete, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { RETRACTION_REASONS, type RetractionReason } from '@ketenpoort/signal-contract';
import { GatewayError } from '../../../common/gateway-error.js';
import { OnListener } from '../../../common/listener.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { SignalLifecycle, type LifecycleAnswer } from '../../signal-lifecycle.service.js';

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
export class RetractSignalHttpController {
  constructor(private readonly lifecycle: SignalLifecycle) {}

  @Delete(':signalId')
  @HttpCode(200)
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
