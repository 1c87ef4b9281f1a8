import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { GovernanceService } from '../../governance.service.js';
import type { GovernedVersion } from '../../infrastructure/governed-version.repository.js';
import { DecideVersionCommand } from './decide-version.command.js';

@CommandHandler(DecideVersionCommand)
export class DecideVersionHandler implements ICommandHandler<DecideVersionCommand> {
  constructor(private readonly governance: GovernanceService) {}

  execute(c: DecideVersionCommand): Promise<GovernedVersion> {
    return this.governance.decide(c.kind, c.version, c.decision, c.actor, c.note);
  }
}
