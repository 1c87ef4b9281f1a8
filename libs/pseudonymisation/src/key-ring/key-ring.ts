import { createHash } from 'node:crypto';
import { hkdfSha256 } from '../crypto/hkdf-sha256.js';
import { PseudonymisationError } from '../pseudonymisation.error.js';
import { assertRecipient } from '../token/recipient.js';
import { decodeKeyRingData, generateKeyRingData, type KeyRingData } from './key-ring.data.js';

/** HKDF salt of every derivation; a new salt would be a new scheme, so it carries a version. */
export const KEY_DERIVATION_SALT = 'ketenpoort/v1';
const SALT = Buffer.from(KEY_DERIVATION_SALT, 'utf8');
const RECIPIENT_KEY_BYTES = 32;

/**
 * Versioned master keys with per-recipient HKDF derivation. Master keys live in private fields only: they do
 * not appear in `JSON.stringify`, `console.log` or error messages.
 *
 * @example
 * const ring = KeyRing.fromData(KeyRing.generateData());
 * ring.recipientKey('register'); // 32-byte key for the register domain under the current version
 */
export class KeyRing {
  readonly #current: number;
  readonly #masters: Map<number, Buffer>;
  readonly #retired: Set<number>;
  readonly #derived = new Map<string, Buffer>();

  private constructor(current: number, masters: Map<number, Buffer>, retired: Set<number>) {
    this.#current = current;
    this.#masters = masters;
    this.#retired = retired;
  }

  /**
   * Validates data and builds a key ring; throws `PSEUDO.KEYRING_INVALID`.
   *
   * @example
   * KeyRing.fromData({ format: 1, current: 1, versions: { '1': 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' } });
   */
  static fromData(data: KeyRingData): KeyRing {
    const { current, masters, retired } = decodeKeyRingData(data);
    return new KeyRing(current, masters, retired);
  }

  /**
   * New key ring data: version 1, 32 random bytes.
   *
   * @example
   * const data = KeyRing.generateData(); // { format: 1, current: 1, versions: { '1': '…' } }
   */
  static generateData(): KeyRingData {
    return generateKeyRingData();
  }

  /** The version new tokens are issued under. @example ring.currentVersion; // 1 */
  get currentVersion(): number {
    return this.#current;
  }

  /** All versions, ascending. @example ring.versions(); // [1, 2] */
  versions(): number[] {
    return [...this.#masters.keys()].sort((a, b) => a - b);
  }

  /** True for a version kept only to recompute old tokens. @example ring.isRetired(1); // false */
  isRetired(version: number): boolean {
    return this.#retired.has(version);
  }

  /**
   * HKDF-SHA-256(master[version], salt = 'ketenpoort/v1', info = 'recipient:' + recipient), 32 bytes; cached.
   * Returns a copy, so callers cannot alter the cache.
   *
   * @example
   * ring.recipientKey('register', 1).length; // 32
   */
  recipientKey(recipient: string, version: number = this.#current): Buffer {
    assertRecipient(recipient);
    const cacheKey = `${version}:${recipient}`;
    let key = this.#derived.get(cacheKey);
    if (!key) {
      key = hkdfSha256(this.#master(version), SALT, `recipient:${recipient}`, RECIPIENT_KEY_BYTES);
      this.#derived.set(cacheKey, key);
    }
    return Buffer.from(key);
  }

  /**
   * Public fingerprint of a version: first 16 hex of SHA-256(HKDF(master, salt, 'fingerprint')) — never the key.
   *
   * @example
   * ring.fingerprint(); // '3f2a…' (16 hex characters)
   */
  fingerprint(version: number = this.#current): string {
    const derived = hkdfSha256(this.#master(version), SALT, 'fingerprint', RECIPIENT_KEY_BYTES);
    return createHash('sha256').update(derived).digest('hex').slice(0, 16);
  }

  /** Versions, current and fingerprints only, so that logging a key ring never shows a key. */
  toJSON(): { current: number; versions: number[]; fingerprints: Record<string, string> } {
    const fingerprints = Object.fromEntries(this.versions().map((v) => [String(v), this.fingerprint(v)]));
    return { current: this.#current, versions: this.versions(), fingerprints };
  }

  #master(version: number): Buffer {
    const master = this.#masters.get(version);
    if (!master) {
      throw new PseudonymisationError(
        'PSEUDO.KEY_VERSION_UNKNOWN',
        `key version ${Number.isSafeInteger(version) ? version : '(not an integer)'} is not in the key ring`,
      );
    }
    return master;
  }
}
