import { describe, expect, it } from '@jest/globals';
import { checkOpening, commitSubjects, subjectCommitment } from './subject-commitment.js';

describe(commitSubjects.name, () => {
  const sut = commitSubjects;

  it('returns one commitment and one opening per token, in order', () => {
    const { commitments, openings } = sut(['v1.audit.subj.A', 'v1.audit.subj.B']);
    expect(openings.map((o) => o.token)).toEqual(['v1.audit.subj.A', 'v1.audit.subj.B']);
    expect(commitments.map((c, i) => checkOpening(c, openings[i]))).toEqual([true, true]);
  });

  it('salts each commitment freshly, so equal tokens do not link', () => {
    expect(sut(['v1.audit.subj.A']).commitments[0]).not.toBe(sut(['v1.audit.subj.A']).commitments[0]);
  });

  it('keeps the token out of the commitment', () => {
    const { commitments } = sut(['v1.audit.subj.SECRETTOKEN']);
    expect(commitments[0]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe(checkOpening.name, () => {
  const sut = checkOpening;
  const opening = { token: 'v1.audit.subj.A', salt: '00112233445566778899aabbccddeeff' };
  const commitment = subjectCommitment(opening);

  it('accepts the opening of its commitment', () => {
    expect(sut(commitment, opening)).toBe(true);
  });

  it('rejects another token', () => {
    expect(sut(commitment, { ...opening, token: 'v1.audit.subj.B' })).toBe(false);
  });

  it('rejects another salt', () => {
    expect(sut(commitment, { ...opening, salt: 'ff112233445566778899aabbccddeeff' })).toBe(false);
  });

  it('rejects a malformed salt', () => {
    expect(sut(commitment, { ...opening, salt: 'zz' })).toBe(false);
  });

  it('rejects a missing opening', () => {
    expect(sut(commitment, null)).toBe(false);
  });

  it('rejects a malformed commitment', () => {
    expect(sut('abc', opening)).toBe(false);
  });
});
