import type { Command } from 'commander';
import { startGateway } from '../../../gateway/src/main.js';
import { startRegister } from '../../../register/src/main.js';
import { gatewayConfigFromEnvironment, registerConfigFromEnvironment } from './serve.config.js';

/**
 * `ketenpoort serve gateway|register`: one service, configured from the environment (DATABASE_URL, …) and
 * the mounted data folder, outside dev mode: nothing generated, owner-only keys, no dev CA, current
 * certificates. What the containers run.
 */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the gateway or the register from environment and mounted keys (production)')
    .argument('<service>', 'gateway | register')
    .action(async (service: string) => {
      let running: { close(): Promise<void> };
      if (service === 'gateway') running = await startGateway(gatewayConfigFromEnvironment(process.env));
      else if (service === 'register')
        running = await startRegister(registerConfigFromEnvironment(process.env));
      else throw new Error(`unknown service ${service}; use gateway or register`);
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
