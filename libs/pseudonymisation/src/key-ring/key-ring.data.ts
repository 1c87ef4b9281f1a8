import { randomBytes } from 'node:crypto';
import { PseudonymisationError } from '../pseudonymisation.error.js';

/** The serialised key ring (`keys/pseudonymisation.json`). Master keys are base64 of 32 random bytes. */
export interface KeyRingData {
  format: 1;
  current: number;
  versions: Record<string, string>;
  /** Versions no longer used to issue tokens; kept to recompute old tokens (lookups, migration). */
  retired?: number[];
}

export const MASTER_KEY_BYTES = 32;
const VERSION_KEY = /^[1-9][0-9]{0,8}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function invalid(message: string): PseudonymisationError {
  return new PseudonymisationError('PSEUDO.KEYRING_INVALID', `key ring invalid: ${message}`);
}

function isVersionNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= 999_999_999;
}

/**
 * Validates serialised key ring data and decodes its master keys; throws `PSEUDO.KEYRING_INVALID`.
 * Messages name versions and fields only, never key material.
 *
 * @example
 * const masters = decodeKeyRingData(JSON.parse(text)); // Map { 1 => <Buffer …32 bytes> }
 */
export function decodeKeyRingData(data: unknown): {
  current: number;
  masters: Map<number, Buffer>;
  retired: Set<number>;
} {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('not an object');
  const record = data as Record<string, unknown>;
  const unknownFields = Object.keys(record).filter(
    (k) => !['format', 'current', 'versions', 'retired'].includes(k),
  );
  if (unknownFields.length > 0) throw invalid(`unknown fields ${unknownFields.join(', ')}`);
  if (record.format !== 1) throw invalid('format must be 1');
  const versions = record.versions;
  if (typeof versions !== 'object' || versions === null || Array.isArray(versions)) {
    throw invalid('versions must be an object');
  }
  const masters = new Map<number, Buffer>();
  for (const [name, encoded] of Object.entries(versions as Record<string, unknown>)) {
    if (!VERSION_KEY.test(name)) throw invalid('version names must be positive integers');
    const version = Number(name);
    if (typeof encoded !== 'string' || !BASE64.test(encoded) || encoded.length % 4 !== 0) {
      throw invalid(`version ${version} is not base64`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== MASTER_KEY_BYTES || key.toString('base64') !== encoded) {
      throw invalid(`version ${version} must be ${MASTER_KEY_BYTES} bytes of canonical base64`);
    }
    masters.set(version, key);
  }
  if (masters.size === 0) throw invalid('no versions');
  if (!isVersionNumber(record.current)) throw invalid('current must be a positive integer');
  if (!masters.has(record.current)) throw invalid(`current version ${record.current} is not in versions`);
  const retired = new Set<number>();
  if (record.retired !== undefined) {
    if (!Array.isArray(record.retired)) throw invalid('retired must be an array');
    for (const version of record.retired) {
      if (!isVersionNumber(version) || !masters.has(version))
        throw invalid('retired lists an unknown version');
      if (version === record.current) throw invalid('the current version cannot be retired');
      retired.add(version);
    }
  }
  return { current: record.current, masters, retired };
}

/**
 * New key ring data: version 1 with 32 random bytes.
 *
 * @example
 * writeKeyRingFile(`${dataDir}/keys/pseudonymisation.json`, generateKeyRingData());
 */
export function generateKeyRingData(): KeyRingData {
  return { format: 1, current: 1, versions: { '1': randomBytes(MASTER_KEY_BYTES).toString('base64') } };
}

/**
 * Rotation: returns new data with a fresh random version (highest + 1) as current; the previous versions stay
 * so old tokens can still be recomputed, and are listed as retired when `retirePrevious` is set.
 *
 * @example
 * const next = rotateKeyRingData(current, { retirePrevious: true }); // next.current === current.current + 1
 */
export function rotateKeyRingData(data: KeyRingData, opts: { retirePrevious?: boolean } = {}): KeyRingData {
  const { masters, retired, current } = decodeKeyRingData(data);
  const next = Math.max(...masters.keys()) + 1;
  if (!isVersionNumber(next)) throw invalid('no version number left');
  if (opts.retirePrevious) retired.add(current);
  const result: KeyRingData = {
    format: 1,
    current: next,
    versions: { ...data.versions, [String(next)]: randomBytes(MASTER_KEY_BYTES).toString('base64') },
  };
  if (retired.size > 0) result.retired = [...retired].sort((a, b) => a - b);
  return result;
}

/**
 * Retirement: returns new data with `version` listed as retired (no longer issued; its tokens stop linking to
 * new records). Refuses the current version and unknown versions.
 *
 * @example
 * retireKeyVersion(data, 1).retired; // [1]
 */
export function retireKeyVersion(data: KeyRingData, version: number): KeyRingData {
  const { masters, retired, current } = decodeKeyRingData(data);
  if (!masters.has(version)) throw invalid(`version ${version} is not in the key ring`);
  if (version === current) throw invalid('the current version cannot be retired');
  retired.add(version);
  return { ...data, retired: [...retired].sort((a, b) => a - b) };
}
