import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PseudonymisationError } from '../pseudonymisation.error.js';
import { KeyRing } from './key-ring.js';
import { decodeKeyRingData, type KeyRingData } from './key-ring.data.js';

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}

/**
 * Loads a key ring file. Refuses (`PSEUDO.KEY_FILE_INSECURE`) a file readable or writable by group or others,
 * unless `allowInsecureMode` (dev mode only). Other failures: `PSEUDO.KEY_FILE_UNREADABLE`,
 * `PSEUDO.KEYRING_INVALID`.
 *
 * @example
 * const ring = loadKeyRingFile(`${dataDir}/keys/pseudonymisation.json`);
 */
export function loadKeyRingFile(path: string, opts: { allowInsecureMode?: boolean } = {}): KeyRing {
  return KeyRing.fromData(readKeyRingFile(path, opts));
}

/** The validated data of a key ring file, with the same checks as `loadKeyRingFile`. */
export function readKeyRingFile(path: string, opts: { allowInsecureMode?: boolean } = {}): KeyRingData {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PseudonymisationError(
      'PSEUDO.KEY_FILE_UNREADABLE',
      `cannot read key ring file ${path} (${errorCode(error) ?? 'error'})`,
    );
  }
  if ((mode & 0o077) !== 0 && !opts.allowInsecureMode) {
    throw new PseudonymisationError(
      'PSEUDO.KEY_FILE_INSECURE',
      `key ring file ${path} has mode ${(mode & 0o777).toString(8)}; it must not be accessible to group or others (chmod 600)`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new PseudonymisationError('PSEUDO.KEYRING_INVALID', `key ring file ${path} is not valid JSON`);
  }
  decodeKeyRingData(data);
  return data as KeyRingData;
}

/**
 * Replaces a key ring file with `change(current data)`, atomically (a 0600 file beside it, renamed over it), so
 * that a gateway reading it never sees half a file. Versions only ever grow: the change must keep every version
 * and may not lower the current one.
 *
 * @example
 * updateKeyRingFile(path, (data) => rotateKeyRingData(data)); // a new current version
 */
export function updateKeyRingFile(path: string, change: (data: KeyRingData) => KeyRingData): KeyRingData {
  const before = readKeyRingFile(path);
  const after = change(before);
  decodeKeyRingData(after);
  const lost = Object.keys(before.versions).filter((v) => after.versions[v] !== before.versions[v]);
  if (lost.length || after.current < before.current) {
    throw new PseudonymisationError(
      'PSEUDO.KEYRING_INVALID',
      'a key ring change may not drop or alter versions',
    );
  }
  const next = `${path}.next`;
  rmSync(next, { force: true });
  writeKeyRingFile(next, after);
  renameSync(next, path);
  return after;
}

/**
 * Writes key ring data (validated first) with mode 0600, creating parent folders (0700); refuses
 * (`PSEUDO.KEY_FILE_EXISTS`) to overwrite an existing file.
 *
 * @example
 * writeKeyRingFile(`${dataDir}/keys/pseudonymisation.json`, KeyRing.generateData());
 */
export function writeKeyRingFile(path: string, data: KeyRingData): void {
  KeyRing.fromData(data);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      throw new PseudonymisationError('PSEUDO.KEY_FILE_EXISTS', `key ring file ${path} already exists`);
    }
    throw new PseudonymisationError(
      'PSEUDO.KEY_FILE_UNREADABLE',
      `cannot write key ring file ${path} (${errorCode(error) ?? 'error'})`,
    );
  }
  // An unusual umask could also strip owner bits; the file must end up exactly 0600.
  chmodSync(path, 0o600);
}
