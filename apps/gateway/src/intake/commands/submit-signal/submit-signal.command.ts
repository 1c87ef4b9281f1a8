import type { SignalV1Dto } from '@ketenpoort/signal-contract';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';

/** A partner submits one signal. Immutable; carries the actor, correlation id and time for the audit log. */
export class SubmitSignalCommand {
  constructor(
    readonly correlationId: string,
    readonly actor: AuthenticatedPartner,
    readonly receivedAt: Date,
    readonly signal: SignalV1Dto,
    /** The validated body as parsed JSON; only its keyed digest is kept. */
    readonly body: unknown,
  ) {
    Object.freeze(this);
  }
}

export interface SubmitSignalResult {
  replayed: boolean;
  receipt: import('@ketenpoort/signal-contract').SignalReceipt;
}
