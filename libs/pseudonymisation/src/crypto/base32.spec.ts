import { describe, expect, it } from '@jest/globals';
import { base32 } from './base32.js';

describe(base32.name, () => {
  const sut = base32;

  it.each([
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ])('encodes RFC 4648 §10 vector %j as %j (lower case, no padding)', (input, expected) => {
    expect(sut(Buffer.from(input))).toBe(expected);
  });

  it('encodes a 32-byte digest in 52 characters of the RFC 4648 alphabet', () => {
    expect(sut(Buffer.alloc(32, 0xff))).toMatch(/^[a-z2-7]{52}$/);
  });

  it('uses every symbol of the alphabet in order', () => {
    // 0x00443214c74254b635cf84653a56d7c675be77df spells the 32 symbols a..z2..7 once each.
    expect(sut(Buffer.from('00443214c74254b635cf84653a56d7c675be77df', 'hex'))).toBe(
      'abcdefghijklmnopqrstuvwxyz234567',
    );
  });
});
