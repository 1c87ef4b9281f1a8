import { describe, expect, it } from '@jest/globals';
import { TEST_KEY_RING_DATA } from '../__fixtures__/test-key-ring.js';
import {
  decodeKeyRingData,
  generateKeyRingData,
  rotateKeyRingData,
  type KeyRingData,
} from './key-ring.data.js';

const base = (): KeyRingData => structuredClone(TEST_KEY_RING_DATA);

describe(decodeKeyRingData.name, () => {
  const sut = decodeKeyRingData;

  it('decodes each version to its 32-byte master key', () => {
    const { masters } = sut(base());
    expect(masters.get(2)?.toString('hex')).toBe(
      Buffer.from(Array.from({ length: 32 }, (_, i) => 0x20 + i)).toString('hex'),
    );
  });

  it.each<[string, unknown]>([
    ['not an object', 'ring'],
    ['a wrong format', { ...base(), format: 2 }],
    ['no versions', { format: 1, current: 1, versions: {} }],
    ['a current version that is absent', { ...base(), current: 3 }],
    ['a non-integer version name', { ...base(), versions: { x: base().versions['1'] } }],
    ['a key of 16 bytes', { format: 1, current: 1, versions: { '1': Buffer.alloc(16).toString('base64') } }],
    ['a key that is not base64', { format: 1, current: 1, versions: { '1': '!'.repeat(44) } }],
    ['a retired current version', { ...base(), retired: [1] }],
    ['a retired unknown version', { ...base(), retired: [7] }],
    ['an unknown field', { ...base(), comment: 'x' }],
  ])('refuses %s with PSEUDO.KEYRING_INVALID', (_case, data) => {
    expect(() => sut(data)).toThrow(expect.objectContaining({ code: 'PSEUDO.KEYRING_INVALID' }));
  });

  it('never puts key material in its error message', () => {
    const key = Buffer.alloc(31, 7).toString('base64');
    let message = '';
    try {
      sut({ format: 1, current: 1, versions: { '1': key } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(key);
  });
});

describe(generateKeyRingData.name, () => {
  it('creates version 1 with 32 random bytes', () => {
    const sut = generateKeyRingData();
    expect(sut.current).toBe(1);
    expect(Buffer.from(sut.versions['1'], 'base64')).toHaveLength(32);
  });

  it('creates a different key each time', () => {
    expect(generateKeyRingData().versions['1']).not.toBe(generateKeyRingData().versions['1']);
  });
});

describe(rotateKeyRingData.name, () => {
  it('adds a fresh version after the highest one and makes it current', () => {
    const sut = rotateKeyRingData(base());
    expect(sut.current).toBe(3);
    expect(Object.keys(sut.versions).sort()).toEqual(['1', '2', '3']);
    expect(sut.versions['1']).toBe(base().versions['1']);
  });

  it('retires the previous current version on request', () => {
    expect(rotateKeyRingData(base(), { retirePrevious: true }).retired).toEqual([1]);
  });
});
