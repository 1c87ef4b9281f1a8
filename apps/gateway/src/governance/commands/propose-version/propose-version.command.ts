import type { AdminActor } from '../../../admin/admin-actor.js';
import type { GovernedKind } from '../../governed-kind.js';

/** An integrator proposes a new version of a policy or of the partner table. */
export class ProposeVersionCommand {
  constructor(
    readonly correlationId: string,
    readonly actor: AdminActor,
    readonly kind: GovernedKind,
    readonly content: string,
  ) {
    Object.freeze(this);
  }
}
