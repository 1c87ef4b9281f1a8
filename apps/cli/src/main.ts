#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerDevCommand } from './dev/dev.command.js';
import { registerPkiCommands } from './pki/pki.commands.js';
import { registerTokenCommands } from './token/token.command.js';

const program = new Command('ketenpoort').description(
  'Ketenpoort: privacy-preserving gateway for the anti-trafficking chain',
);
registerDevCommand(program);
registerPkiCommands(program);
registerTokenCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`ketenpoort: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
