const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Base32 with the RFC 4648 alphabet, lower case, without padding.
 *
 * @example
 * base32(Buffer.from('foobar')); // 'mzxw6ytboi'
 */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}
