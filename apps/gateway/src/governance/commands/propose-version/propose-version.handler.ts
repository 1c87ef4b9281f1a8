import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { GovernanceService } from '../../governance.service.js';
import { ProposeVersionCommand } from './propose-version.command.js';

@CommandHandler(ProposeVersionCommand)
export class ProposeVersionHandler implements ICommandHandler<ProposeVersionCommand> {
  constructor(private readonly governance: GovernanceService) {}

  execute(command: ProposeVersionCommand): Promise<{ version: string; created: boolean }> {
    return this.governance.propose(command.kind, command.content, command.actor);
  }
}
