import type { Command } from 'commander';
import { runRopa } from './ropa.js';

/** `ketenpoort ropa [--config-dir dir] [--format md|json]`: the record of processing activities. */
export function registerRopaCommands(program: Command): void {
  program
    .command('ropa')
    .description('generate the record of processing activities (GDPR art. 30) from the policy and partners')
    .option('--config-dir <dir>', 'folder with policies/register.yaml and partners.yaml', 'config')
    .option('--format <format>', 'md or json', 'md')
    .action((opts: { configDir: string; format: string }) => {
      if (opts.format !== 'md' && opts.format !== 'json') throw new Error('--format must be md or json');
      process.stdout.write(runRopa({ configDir: opts.configDir, format: opts.format }));
    });
}
