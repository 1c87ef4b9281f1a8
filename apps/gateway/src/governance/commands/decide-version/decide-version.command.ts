import type { AdminActor } from '../../../admin/admin-actor.js';
import type { Decision } from '../../governance.service.js';
import type { GovernedKind } from '../../governed-kind.js';

/** A privacy officer approves or rejects a version, or an integrator puts a policy into shadow. */
export class DecideVersionCommand {
  constructor(
    readonly correlationId: string,
    readonly actor: AdminActor,
    readonly kind: GovernedKind,
    readonly version: string,
    readonly decision: Decision,
    readonly note?: string,
  ) {
    Object.freeze(this);
  }
}
