import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA-256 (RFC 2104 / RFC 4231); strings are encoded as UTF-8.
 *
 * @example
 * hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex'); // '5bdcc146…3843'
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array | string): Buffer {
  return createHmac('sha256', key)
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest();
}
