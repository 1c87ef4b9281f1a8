import { describe, expect, it } from '@jest/globals';
import { RFC4231_HMAC_SHA256 } from '../__fixtures__/rfc4231.vectors.js';
import { hmacSha256 } from './hmac-sha256.js';

describe(hmacSha256.name, () => {
  const sut = hmacSha256;

  it.each(RFC4231_HMAC_SHA256)('matches RFC 4231 $name', ({ key, data, mac }) => {
    expect(sut(Buffer.from(key, 'hex'), Buffer.from(data, 'hex')).toString('hex')).toBe(mac);
  });

  it('encodes string data as UTF-8', () => {
    const key = Buffer.from('key');
    expect(sut(key, 'Łukasz').equals(sut(key, Buffer.from('Łukasz', 'utf8')))).toBe(true);
  });
});
