import type { Command } from 'commander';
import { sendFile } from './send-file.js';

/** `ketenpoort send --partner ID FILE.ndjson`: bulk intake of a file of signals, resumable. */
export function registerSendCommands(program: Command): void {
  program
    .command('send')
    .description('push an NDJSON file of signals to the gateway over mTLS (resumable; receipts to a file)')
    .argument('<file>', 'NDJSON file, one signal v1 a line')
    .requiredOption(
      '--partner <id>',
      'partner id: its dev certificate under <data-dir>/pki/partners/ is used',
    )
    .option('--data-dir <dir>', 'data folder', process.env.KETENPOORT_DATA_DIR ?? '.data')
    .option(
      '--gateway-url <url>',
      'partner listener of the gateway',
      process.env.KETENPOORT_GATEWAY_URL ?? 'https://127.0.0.1:8443',
    )
    .option('--receipts <file>', 'receipts file (NDJSON); default <file>.receipts.ndjson')
    .option('--batch-size <n>', 'lines per request', '5000')
    .action(
      async (
        file: string,
        opts: { partner: string; dataDir: string; gatewayUrl: string; receipts?: string; batchSize: string },
      ) => {
        const batchSize = Number(opts.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1)
          throw new Error('--batch-size must be a positive integer');
        const abort = new AbortController();
        process.once('SIGINT', () => abort.abort());
        const summary = await sendFile({
          partnerId: opts.partner,
          file,
          dataDir: opts.dataDir,
          gatewayUrl: opts.gatewayUrl,
          receiptsPath: opts.receipts ?? `${file}.receipts.ndjson`,
          batchSize,
          signal: abort.signal,
        });
        console.log(JSON.stringify(summary));
        if (summary.refused > 0 || summary.interrupted) process.exitCode = 2;
      },
    );
}
