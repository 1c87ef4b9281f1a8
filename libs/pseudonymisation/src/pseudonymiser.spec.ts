import { describe, expect, it } from '@jest/globals';
import { TEST_KEY_RING_DATA } from './__fixtures__/test-key-ring.js';
import { hmacSha256 } from './crypto/hmac-sha256.js';
import { base32 } from './crypto/base32.js';
import { KeyRing } from './key-ring/key-ring.js';
import type { SubjectIdentity } from './normalise/canonical-input.js';
import { Pseudonymiser } from './pseudonymiser.js';
import { parseToken } from './token/token.format.js';

const ring = KeyRing.fromData(TEST_KEY_RING_DATA);
const anna: SubjectIdentity = {
  givenNames: 'Anna Maria',
  familyName: 'Kowalska',
  birthDate: '1999-04-12',
  sex: 'female',
  documents: [{ type: 'passport', country: 'PL', number: 'EA1234567' }],
};
const tokenOf = (tokens: { kind: string; value: string }[], kind: string) =>
  tokens.find((t) => t.kind === kind)?.value;

describe(Pseudonymiser.name, () => {
  const sut = new Pseudonymiser(ring, 'register');

  it('issues under the current key version by default', () => {
    expect([sut.recipient, sut.keyVersion]).toEqual(['register', 1]);
  });

  it('hashes kind, unit separator and input under the recipient key', () => {
    const digest = hmacSha256(ring.recipientKey('register', 1), 'case\u001fPOL-1');
    expect(sut.token('case', 'POL-1')).toBe(`v1.register.case.${base32(digest)}`);
  });

  it('gives the same input different tokens under different kinds', () => {
    expect(parseToken(sut.token('doc', 'X'))?.value).not.toBe(parseToken(sut.token('case', 'X'))?.value);
  });

  it('refuses an empty canonical input', () => {
    expect(() => sut.token('doc', '')).toThrow(expect.objectContaining({ code: 'PSEUDO.INPUT_INVALID' }));
  });

  it('issues one doc and one nds token for a complete subject', () => {
    expect(sut.linkageTokens(anna).map((t) => t.kind)).toEqual(['doc', 'nds']);
  });

  it('issues identical tokens for the same person written differently', () => {
    const other: SubjectIdentity = {
      givenNames: 'KOWALSKA',
      familyName: 'maria  anna',
      birthDate: '1999-04-12',
      sex: 'female',
      documents: [{ type: 'passport', country: 'pl', number: 'ea 123-4567' }],
    };
    expect(sut.linkageTokens(other)).toEqual(sut.linkageTokens(anna));
  });

  it('issues identical nds tokens with and without diacritics', () => {
    const withMarks = { givenNames: 'Łukasz', familyName: 'Müller', birthDate: '1990-01-01', sex: 'male' };
    const without = { givenNames: 'Lukasz', familyName: 'Muller', birthDate: '1990-01-01', sex: 'male' };
    expect(sut.linkageTokens(withMarks)).toEqual(sut.linkageTokens(without));
  });

  it('issues different tokens for another recipient', () => {
    const audit = new Pseudonymiser(ring, 'audit');
    const values = (p: Pseudonymiser) => p.linkageTokens(anna).map((t) => parseToken(t.value)?.value);
    expect(values(audit).some((v) => values(sut).includes(v))).toBe(false);
  });

  it('issues different tokens under another key version', () => {
    const v2 = new Pseudonymiser(ring, 'register', 2);
    const values = (p: Pseudonymiser) => p.linkageTokens(anna).map((t) => parseToken(t.value)?.value);
    expect(values(v2).some((v) => values(sut).includes(v))).toBe(false);
  });

  it('marks tokens with their key version', () => {
    expect(new Pseudonymiser(ring, 'register', 2).caseToken('X')).toMatch(/^v2\.register\.case\./);
  });

  it('omits nds when the birth date is missing', () => {
    expect(sut.linkageTokens({ ...anna, birthDate: undefined }).map((t) => t.kind)).toEqual(['doc']);
  });

  it('omits nds when only a birth year is known', () => {
    expect(sut.linkageTokens({ ...anna, birthDate: '1999' }).map((t) => t.kind)).toEqual(['doc']);
  });

  it('omits nds when the sex is unknown', () => {
    expect(sut.linkageTokens({ ...anna, sex: 'unknown' }).map((t) => t.kind)).toEqual(['doc']);
  });

  it('issues nothing for a subject without identifiers', () => {
    expect(sut.linkageTokens({ sex: 'female', birthDate: '1999-04-12' })).toEqual([]);
  });

  it('keeps the doc token independent of the name', () => {
    const renamed = { ...anna, givenNames: 'Zofia', familyName: 'Nowak' };
    expect(tokenOf(sut.linkageTokens(renamed), 'doc')).toBe(tokenOf(sut.linkageTokens(anna), 'doc'));
  });

  it('gives a document of another issuing country another token', () => {
    const german = { documents: [{ type: 'passport', country: 'DE', number: 'EA1234567' }] };
    expect(tokenOf(sut.linkageTokens(german), 'doc')).not.toBe(tokenOf(sut.linkageTokens(anna), 'doc'));
  });

  it('issues one doc token per distinct document', () => {
    const docs = [
      { type: 'passport', country: 'PL', number: 'EA1234567' },
      { type: 'passport', country: 'PL', number: 'EA 1234567' },
      { type: 'national-id', country: 'PL', number: 'ABC123456' },
    ];
    expect(sut.linkageTokens({ documents: docs })).toHaveLength(2);
  });

  it('skips a document whose number normalises to nothing', () => {
    expect(sut.linkageTokens({ documents: [{ type: 'passport', number: '--' }] })).toEqual([]);
  });

  it('never puts an input value in a token', () => {
    expect(JSON.stringify(sut.linkageTokens(anna)).toLowerCase()).not.toMatch(/anna|kowalska|1999|ea1234567/);
  });

  it('normalises case references before hashing', () => {
    expect(sut.caseToken('  pol-2020-001234 ')).toBe(sut.caseToken('POL-2020-001234'));
  });

  it('refuses a blank case reference', () => {
    expect(() => sut.caseToken('   ')).toThrow(expect.objectContaining({ code: 'PSEUDO.INPUT_INVALID' }));
  });

  it('refuses an unknown key version', () => {
    expect(() => new Pseudonymiser(ring, 'register', 3)).toThrow(
      expect.objectContaining({ code: 'PSEUDO.KEY_VERSION_UNKNOWN' }),
    );
  });

  describe('subjectTokens', () => {
    const audit = new Pseudonymiser(ring, 'audit');

    it('issues one subj token per identifying input', () => {
      expect(audit.subjectTokens(anna).map((t) => parseToken(t)?.kind)).toEqual(['subj', 'subj']);
    });

    it('never equals the linkage token of the same input', () => {
      const linkage = audit.linkageTokens(anna).map((t) => parseToken(t.value)?.value);
      expect(audit.subjectTokens(anna).some((t) => linkage.includes(parseToken(t)?.value))).toBe(false);
    });

    it('finds a person by their document alone', () => {
      const byDocument = audit.subjectTokens({ documents: anna.documents });
      expect(audit.subjectTokens(anna)).toEqual(expect.arrayContaining(byDocument));
    });
  });
});
