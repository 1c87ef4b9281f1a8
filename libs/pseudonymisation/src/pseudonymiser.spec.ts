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
const trunkKinds = (tokens: { kind: string; value: string }[]) =>
  tokens.filter((t) => t.kind === 'doc' || t.kind === 'nds');

describe(Pseudonymiser.name, () => {
  const sut = new Pseudonymiser(ring, 'register', 1);

  it('issues under the current key version by default', () => {
    const byDefault = new Pseudonymiser(ring, 'register');
    expect([byDefault.recipient, byDefault.keyVersion]).toEqual(['register', 1]);
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

  it('issues one doc and one nds token and the richer kinds for a complete subject', () => {
    expect([...new Set(sut.linkageTokens(anna).map((t) => t.kind))]).toEqual([
      'doc',
      'nds',
      'ndob',
      'near',
      'phon',
      'nyr',
      'nyrn',
      'pyr',
    ]);
  });

  it('issues identical tokens for the same person written differently', () => {
    const other: SubjectIdentity = {
      givenNames: 'KOWALSKA',
      familyName: 'maria  anna',
      birthDate: '1999-04-12',
      sex: 'female',
      documents: [{ type: 'passport', country: 'pl', number: 'ea 123-4567' }],
    };
    expect(trunkKinds(sut.linkageTokens(other))).toEqual(trunkKinds(sut.linkageTokens(anna)));
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
    expect(trunkKinds(sut.linkageTokens({ ...anna, birthDate: undefined })).map((t) => t.kind)).toEqual([
      'doc',
    ]);
  });

  it('omits nds when only a birth year is known', () => {
    expect([...new Set(sut.linkageTokens({ ...anna, birthDate: '1999' }).map((t) => t.kind))]).toEqual([
      'doc',
      'nyr',
      'nyrn',
      'pyr',
    ]);
  });

  it('omits nds when the sex is unknown', () => {
    expect(trunkKinds(sut.linkageTokens({ ...anna, sex: 'unknown' })).map((t) => t.kind)).toEqual(['doc']);
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
    expect(sut.linkageTokens({ documents: docs }).filter((t) => t.kind === 'doc')).toHaveLength(2);
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

  describe('richer tokens', () => {
    const person = { givenNames: 'Anna', familyName: 'Kowalska', birthDate: '1999-04-12', sex: 'female' };
    const shared = (a: SubjectIdentity, b: SubjectIdentity, kind: string) => {
      const values = new Set(
        sut
          .linkageTokens(a)
          .filter((t) => t.kind === kind)
          .map((t) => t.value),
      );
      return sut.linkageTokens(b).some((t) => t.kind === kind && values.has(t.value));
    };

    it('shares ndob when the sex differs', () => {
      expect(shared(person, { ...person, sex: 'male' }, 'ndob')).toBe(true);
    });

    it('shares ndob when given and family name are swapped', () => {
      expect(shared(person, { ...person, givenNames: 'Kowalska', familyName: 'Anna' }, 'ndob')).toBe(true);
    });

    it('shares ndob with a second given name left out', () => {
      expect(shared(person, { ...person, givenNames: 'Anna Maria' }, 'ndob')).toBe(true);
    });

    it('shares ndob with a double family name cut to its first part', () => {
      const double = { ...person, familyName: 'Kowalska-Nowak' };
      expect(shared(double, person, 'ndob')).toBe(true);
    });

    it('shares ndob with one Dutch particle left out', () => {
      const dutch = { ...person, givenNames: 'Sanne', familyName: 'van der Berg' };
      expect(shared(dutch, { ...dutch, familyName: 'Berg' }, 'ndob')).toBe(true);
    });

    it('shares near with a one-letter typo in the family name', () => {
      expect(shared(person, { ...person, familyName: 'Kowalksa' }, 'near')).toBe(true);
    });

    it('does not share near with two typos', () => {
      expect(shared(person, { ...person, givenNames: 'Ana', familyName: 'Kowalksa' }, 'near')).toBe(false);
    });

    it.each([
      ['Mohammed', 'Mohamed'],
      ['Mohammed', 'Muhammad'],
      ['Yordanova', 'Iordanova'],
      ['Łukasz', 'Lukasz'],
      ['Müller', 'Mueller'],
      ['Йорданова', 'Iordanova'],
    ])('shares phon between %s and %s', (a, b) => {
      expect(shared({ ...person, familyName: a }, { ...person, familyName: b }, 'phon')).toBe(true);
    });

    it('does not share phon across different birth dates', () => {
      expect(shared(person, { ...person, birthDate: '1999-04-13' }, 'phon')).toBe(false);
    });

    it('shares nyr between a full date and a year-only date', () => {
      expect(shared(person, { ...person, birthDate: '1999' }, 'nyr')).toBe(true);
    });

    it('marks a stand-in date with sdob and issues nyr for the years either side', () => {
      const standIn = sut.linkageTokens({ ...person, birthDate: '1999-01-01' });
      expect([
        standIn.some((t) => t.kind === 'sdob'),
        standIn.filter((t) => t.kind === 'nyr').length,
      ]).toEqual([true, 3]);
    });

    it.each(['1999-07-01', '1999-01-01'])('treats %s as a stand-in date', (birthDate) => {
      expect(shared({ ...person, birthDate }, { ...person, birthDate }, 'sdob')).toBe(true);
    });

    it('issues no sdob for an ordinary date', () => {
      expect(sut.linkageTokens(person).some((t) => t.kind === 'sdob')).toBe(false);
    });

    it('issues no name-based token without a name', () => {
      expect(sut.linkageTokens({ birthDate: '1999-04-12', sex: 'female' })).toEqual([]);
    });

    it('never puts a name, date or year in any token', () => {
      const all = JSON.stringify(sut.linkageTokens({ ...person, birthDate: '1999-01-01' })).toLowerCase();
      expect(all).not.toMatch(/anna|kowalska|1999|1998|2000/);
    });
  });

  describe('key versions', () => {
    it('issues linkage tokens under every non-retired version when built without a version', () => {
      const byDefault = new Pseudonymiser(ring, 'register');
      const versions = byDefault.linkageTokens(anna).map((t) => parseToken(t.value)?.version);
      expect([...new Set(versions)].sort()).toEqual([1, 2]);
    });

    it('leaves retired versions out', () => {
      const retired = KeyRing.fromData({ ...TEST_KEY_RING_DATA, current: 2, retired: [1] });
      const versions = new Pseudonymiser(retired, 'register')
        .linkageTokens(anna)
        .map((t) => parseToken(t.value)?.version);
      expect([...new Set(versions)]).toEqual([2]);
    });

    it('issues under each version exactly the tokens a single-version pseudonymiser issues', () => {
      const byDefault = new Pseudonymiser(ring, 'register').linkageTokens(anna).map((t) => t.value);
      const single = [1, 2].flatMap((v) =>
        new Pseudonymiser(ring, 'register', v).linkageTokens(anna).map((t) => t.value),
      );
      expect(byDefault.sort()).toEqual(single.sort());
    });

    it('keeps case and subject tokens under the current version only', () => {
      const byDefault = new Pseudonymiser(ring, 'register');
      expect(byDefault.caseToken('X')).toMatch(/^v1\.register\.case\./);
    });
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
