#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerAuditCommands } from './audit/audit.commands.js';
import { registerDevCommand } from './dev/dev.command.js';
import { registerOpenApiCommands } from './openapi/openapi.command.js';
import { registerDoctorCommands } from './doctor/doctor.command.js';
import { registerServeCommands } from './serve/serve.command.js';
import { registerPkiCommands } from './pki/pki.commands.js';
import { registerPolicyCommands } from './policy/policy.commands.js';
import { registerStatsCommands } from './stats/stats.command.js';
import { registerTokenCommands } from './token/token.command.js';
import { registerSendCommands } from './send/send.command.js';
import { registerRopaCommands } from './ropa/ropa.command.js';
import { registerKeysCommands } from './keys/keys.command.js';

const program = new Command('ketenpoort').description(
  'Ketenpoort: privacy-preserving gateway for the anti-trafficking chain',
);
registerDevCommand(program);
registerOpenApiCommands(program);
registerAuditCommands(program);
registerDoctorCommands(program);
registerServeCommands(program);
registerPkiCommands(program);
registerPolicyCommands(program);
registerTokenCommands(program);
registerStatsCommands(program);
registerSendCommands(program);
registerRopaCommands(program);
registerKeysCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`ketenpoort: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
