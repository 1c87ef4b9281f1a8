import { describe, expect, it } from '@jest/globals';
import { TEST_KEY_RING_DATA } from './__fixtures__/test-key-ring.js';
import { hmacSha256 } from './crypto/hmac-sha256.js';
import { KeyRing } from './key-ring/key-ring.js';
import { bodyDigest } from './body-digest.js';

const ring = KeyRing.fromData(TEST_KEY_RING_DATA);

describe(bodyDigest.name, () => {
  const sut = bodyDigest;

  it('is the HMAC of the RFC 8785 form under the gateway-idempotency key', () => {
    const expected = hmacSha256(ring.recipientKey('gateway-idempotency'), '{"a":[1,"x"],"b":2}').toString(
      'hex',
    );
    expect(sut(ring, { b: 2, a: [1, 'x'] })).toBe(expected);
  });

  it('ignores key order', () => {
    expect(sut(ring, { a: 1, b: { c: 2, d: 3 } })).toBe(sut(ring, { b: { d: 3, c: 2 }, a: 1 }));
  });

  it('tells different bodies apart', () => {
    expect(sut(ring, { a: 1 })).not.toBe(sut(ring, { a: 2 }));
  });

  it('depends on the key version', () => {
    expect(sut(ring, { a: 1 }, 2)).not.toBe(sut(ring, { a: 1 }, 1));
  });

  it('refuses a value without a JSON form', () => {
    expect(() => sut(ring, undefined)).toThrow(expect.objectContaining({ code: 'PSEUDO.INPUT_INVALID' }));
  });
});
