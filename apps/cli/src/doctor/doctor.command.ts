import type { Command } from 'commander';
import { formatFindings } from './doctor-check.js';
import { runDoctor } from './doctor.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `ketenpoort doctor`: checks a deployment and prints what to fix; exit code 1 on any FAIL. */
export function registerDoctorCommands(program: Command): void {
  program
    .command('doctor')
    .description(
      'check certificates, key files, key rings, policies, databases and the register; print what to fix',
    )
    .option('--data-dir <dir>', 'data folder (pki/, keys/)', process.env.KETENPOORT_DATA_DIR ?? '.data')
    .option(
      '--config-dir <dir>',
      'configuration folder (partners.yaml, policies/)',
      process.env.KETENPOORT_CONFIG_DIR ?? 'config',
    )
    .option('--gateway-admin-url <url>', 'admin URL of a running gateway instance (repeatable)', collect, [])
    .option('--register-url <url>', 'API URL of the register')
    .option('--production', 'treat dev CAs as failures', false)
    .action(
      async (opts: {
        dataDir: string;
        configDir: string;
        gatewayAdminUrl: string[];
        registerUrl?: string;
        production: boolean;
      }) => {
        const databaseUrls: Record<string, string> = {};
        if (process.env.DATABASE_URL) databaseUrls.DATABASE_URL = process.env.DATABASE_URL;
        if (process.env.REGISTER_DATABASE_URL)
          databaseUrls.REGISTER_DATABASE_URL = process.env.REGISTER_DATABASE_URL;
        const findings = await runDoctor({
          dataDir: opts.dataDir,
          configDir: opts.configDir,
          production: opts.production,
          gatewayAdminUrls: opts.gatewayAdminUrl,
          registerUrl: opts.registerUrl,
          databaseUrls,
        });
        console.log(formatFindings(findings));
        if (findings.some((f) => f.status === 'FAIL')) process.exitCode = 1;
      },
    );
}
