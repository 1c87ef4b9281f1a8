import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { TEST_KEY_RING_DATA } from '../__fixtures__/test-key-ring.js';
import { hkdfSha256 } from '../crypto/hkdf-sha256.js';
import { KeyRing } from './key-ring.js';

describe(KeyRing.name, () => {
  const sut = KeyRing.fromData(TEST_KEY_RING_DATA);
  const master1 = Buffer.from(TEST_KEY_RING_DATA.versions['1'], 'base64');

  it('reports the current version and all versions', () => {
    expect([sut.currentVersion, sut.versions()]).toEqual([1, [1, 2]]);
  });

  it('derives a recipient key as HKDF(master, "ketenpoort/v1", "recipient:" + recipient)', () => {
    const expected = hkdfSha256(master1, Buffer.from('ketenpoort/v1'), 'recipient:register', 32);
    expect(sut.recipientKey('register').equals(expected)).toBe(true);
  });

  it('derives different keys for different recipients', () => {
    expect(sut.recipientKey('register').equals(sut.recipientKey('audit'))).toBe(false);
  });

  it('derives different keys for different versions', () => {
    expect(sut.recipientKey('register', 1).equals(sut.recipientKey('register', 2))).toBe(false);
  });

  it('returns a copy, so that changing it does not change later keys', () => {
    const first = sut.recipientKey('register');
    first.fill(0);
    expect(sut.recipientKey('register').equals(first)).toBe(false);
  });

  it('refuses an unknown version with PSEUDO.KEY_VERSION_UNKNOWN', () => {
    expect(() => sut.recipientKey('register', 9)).toThrow(
      expect.objectContaining({ code: 'PSEUDO.KEY_VERSION_UNKNOWN' }),
    );
  });

  it('refuses a recipient that could break the token format', () => {
    expect(() => sut.recipientKey('reg.ister')).toThrow(
      expect.objectContaining({ code: 'PSEUDO.RECIPIENT_INVALID' }),
    );
  });

  it('gives a 16-hex fingerprint per version that is not part of the key', () => {
    const fingerprint = sut.fingerprint(1);
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint).not.toBe(sut.fingerprint(2));
    expect(master1.toString('hex')).not.toContain(fingerprint);
  });

  it('keeps master and derived keys out of JSON and inspect output', () => {
    sut.recipientKey('register');
    const shown = JSON.stringify(sut) + inspect(sut, { depth: 10, showHidden: true });
    for (const secret of [master1, sut.recipientKey('register')]) {
      expect(shown).not.toContain(secret.toString('hex'));
      expect(shown).not.toContain(secret.toString('base64'));
    }
  });

  it('knows which versions are retired', () => {
    const ring = KeyRing.fromData({ ...TEST_KEY_RING_DATA, current: 2, retired: [1] });
    expect([ring.isRetired(1), ring.isRetired(2)]).toEqual([true, false]);
  });
});
