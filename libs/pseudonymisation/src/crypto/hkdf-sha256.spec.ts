import { describe, expect, it } from '@jest/globals';
import { RFC5869_HKDF_SHA256 } from '../__fixtures__/rfc5869.vectors.js';
import { hkdfSha256 } from './hkdf-sha256.js';
import { hmacSha256 } from './hmac-sha256.js';

const hex = (value: string) => Buffer.from(value, 'hex');

describe(hkdfSha256.name, () => {
  const sut = hkdfSha256;

  it.each(RFC5869_HKDF_SHA256)('matches the OKM of RFC 5869 $name', ({ ikm, salt, info, length, okm }) => {
    expect(sut(hex(ikm), hex(salt), hex(info), length).toString('hex')).toBe(okm);
  });

  it.each(RFC5869_HKDF_SHA256)(
    'extracts the PRK of RFC 5869 $name as HMAC(salt, IKM)',
    ({ ikm, salt, prk }) => {
      // RFC 5869 §2.2: an empty salt means HashLen zero bytes.
      const key = salt === '' ? Buffer.alloc(32) : hex(salt);
      expect(hmacSha256(key, hex(ikm)).toString('hex')).toBe(prk);
    },
  );

  it('encodes a string info as UTF-8', () => {
    const ikm = hex('0b'.repeat(22));
    expect(sut(ikm, Buffer.alloc(0), 'recipient:register', 32)).toEqual(
      sut(ikm, Buffer.alloc(0), Buffer.from('recipient:register'), 32),
    );
  });
});
