import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { startStack } from '../stack/stack.js';

/** `ketenpoort dev`: the embedded default — dev PKI, dev keys and embedded databases on first start. */
export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description(
      'start gateway and register on the embedded default (creates dev PKI, keys and databases on first start)',
    )
    .option('--data-dir <dir>', 'data folder', process.env.KETENPOORT_DATA_DIR ?? '.data')
    .option('--config-dir <dir>', 'configuration folder', process.env.KETENPOORT_CONFIG_DIR ?? 'config')
    .option('--gateway-port <port>', 'partner listener port', '8443')
    .option('--admin-port <port>', 'gateway admin API port (officers, integrators)', '8444')
    .option('--register-intake-port <port>', 'register intake (mTLS) port', '9443')
    .option('--register-api-port <port>', 'register API port', '9444')
    .action(
      async (opts: {
        dataDir: string;
        configDir: string;
        gatewayPort: string;
        adminPort: string;
        registerIntakePort: string;
        registerApiPort: string;
      }) => {
        const dataDir = resolve(opts.dataDir);
        console.log(`Starting Ketenpoort (embedded default) with data in ${dataDir} …`);
        const stack = await startStack({
          mode: 'dev',
          dataDir,
          configDir: resolve(opts.configDir),
          gatewayPort: Number(opts.gatewayPort),
          adminPort: Number(opts.adminPort),
          registerIntakePort: Number(opts.registerIntakePort),
          registerApiPort: Number(opts.registerApiPort),
        });
        const partnerCerts = join(stack.pki.dir, 'partners');
        console.log(
          [
            '',
            'Ketenpoort is running.',
            `  gateway, partner API (mTLS):   ${stack.gateway.partnerUrl}/v1/signals`,
            `  gateway, admin API (tokens):   ${stack.gateway.adminUrl}/v1/admin/status`,
            `  register, intake (mTLS):       ${stack.register.intakeUrl}/v1/records`,
            `  register, analyst API:         ${stack.register.apiUrl}/v1/statistics?year=2020&rule=register`,
            `  CA certificate:                ${stack.pki.caCert}`,
            `  partner certificates and keys: ${partnerCerts}/<partner-id>.crt|.key`,
            `  analyst token:                 npm run ketenpoort -- token issue --role analyst --sub you`,
            '',
            'Press Ctrl+C to stop.',
          ].join('\n'),
        );
        const stop = async () => {
          await stack.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );
}
