import { Injectable, type PipeTransform } from '@nestjs/common';
import { validateSignal, type SignalV1Dto } from '@ketenpoort/signal-contract';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayMetrics } from '../common/metrics.js';

/**
 * Validates a body as signal v1 with the same function the batch path and the CLI use. Field names a
 * sender invents are answered to that sender, counted, and never logged or audited.
 */
@Injectable()
export class SignalValidationPipe implements PipeTransform<unknown, SignalV1Dto> {
  constructor(private readonly metrics: GatewayMetrics) {}

  transform(body: unknown): SignalV1Dto {
    const result = validateSignal(body);
    if (result.ok) return result.signal;
    const unknownFields = result.errors.filter((e) =>
      e.reasons.includes('is not a field of signal v1'),
    ).length;
    if (unknownFields) this.metrics.increment('unknown_fields_total', {}, unknownFields);
    this.metrics.increment('signals_invalid_total');
    throw new GatewayError('SIGNAL.INVALID', 'the signal is not a valid signal v1', result.errors);
  }
}
