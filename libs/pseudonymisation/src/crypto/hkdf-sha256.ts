import { hkdfSync } from 'node:crypto';

/**
 * HKDF-SHA-256 extract-and-expand (RFC 5869); a string `info` is encoded as UTF-8.
 *
 * @example
 * hkdfSha256(master, Buffer.from('ketenpoort/v1'), 'recipient:register', 32); // 32-byte recipient key
 */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: string | Uint8Array,
  length: number,
): Buffer {
  const infoBytes = typeof info === 'string' ? Buffer.from(info, 'utf8') : info;
  return Buffer.from(hkdfSync('sha256', ikm, salt, infoBytes, length));
}
