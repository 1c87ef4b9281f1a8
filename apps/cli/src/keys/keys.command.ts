import type { Command } from 'commander';
import {
  retireKeyVersion,
  rotateKeyRingData,
  updateKeyRingFile,
  type KeyRingData,
} from '@ketenpoort/pseudonymisation';
import { keyPaths } from '../stack/stack-keys.js';

/** What a key ring holds, without a key: versions, the current one, the retired ones. */
export function describeKeyRing(data: KeyRingData): {
  current: number;
  versions: number[];
  retired: number[];
} {
  return {
    current: data.current,
    versions: Object.keys(data.versions)
      .map(Number)
      .sort((a, b) => a - b),
    retired: data.retired ?? [],
  };
}

interface RingOptions {
  dataDir: string;
  file?: string;
}

/** The options every `keys` subcommand takes: where the key ring file is. */
function ringOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'data folder holding keys/pseudonymisation.json',
      process.env.KETENPOORT_DATA_DIR ?? '.data',
    )
    .option('--file <path>', 'the key ring file (instead of the data folder)');
}

/** Applies `change` to the key ring file atomically and prints what the ring now holds (never a key). */
function updateAndDescribe(opts: RingOptions, change: (data: KeyRingData) => KeyRingData): void {
  const after = updateKeyRingFile(opts.file ?? keyPaths(opts.dataDir).keyRing, change);
  process.stdout.write(`${JSON.stringify(describeKeyRing(after))}\n`);
}

/** `ketenpoort keys rotate` and `keys retire <version>`: the pseudonymisation key ring's life (README, ADR 0008). */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('the pseudonymisation key ring (rotation and retirement)');
  ringOptions(
    keys
      .command('rotate')
      .description(
        'add a new current version (the previous ones keep issuing linkage tokens until retired); roll the file out to every gateway and restart them',
      ),
  ).action((opts: RingOptions) => updateAndDescribe(opts, (data) => rotateKeyRingData(data)));
  ringOptions(
    keys
      .command('retire <version>')
      .description(
        'stop issuing tokens under a version — only after the last record issued under it alone has passed its retention',
      ),
  ).action((version: string, opts: RingOptions) => {
    if (!/^[1-9]\d{0,8}$/.test(version)) throw new Error('version must be a positive whole number');
    updateAndDescribe(opts, (data) => retireKeyVersion(data, Number(version)));
  });
}
