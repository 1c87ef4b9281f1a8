import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SignalIntake } from '../../signal-intake.service.js';
import { SubmitSignalCommand, type SubmitSignalResult } from './submit-signal.command.js';

export { recordDigest } from '../../signal-intake.service.js';

/**
 * Validated signal → purpose check → keyed idempotency check → policy evaluation (pseudonymised with the
 * register's key) → one (group) transaction: signal, outbox row and audit entry. Refusals are audited.
 */
@CommandHandler(SubmitSignalCommand)
export class SubmitSignalHandler implements ICommandHandler<SubmitSignalCommand, SubmitSignalResult> {
  constructor(private readonly intake: SignalIntake) {}

  execute(command: SubmitSignalCommand): Promise<SubmitSignalResult> {
    return this.intake.submit(command);
  }
}
