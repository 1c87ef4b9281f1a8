import { describe, expect, it } from '@jest/globals';
import { GOLDEN_SUBJECTS, GOLDEN_VECTORS } from './__fixtures__/golden-vectors.fixture.js';
import { TEST_KEY_RING_DATA } from './__fixtures__/test-key-ring.js';
import { bodyDigest } from './body-digest.js';
import { KeyRing } from './key-ring/key-ring.js';
import { normaliseDocumentNumber } from './normalise/document.normaliser.js';
import { normaliseName, normaliseNameTokens } from './normalise/name.normaliser.js';
import { Pseudonymiser } from './pseudonymiser.js';

// A failure here means issued tokens would change: that needs a key rotation, not an updated fixture.
const ring = KeyRing.fromData(TEST_KEY_RING_DATA);

describe('golden vectors', () => {
  it.each(GOLDEN_VECTORS.names)('normaliseName($input)', ({ input, tokens }) => {
    expect(normaliseName(input)).toEqual(tokens);
  });

  it.each(GOLDEN_VECTORS.nameTokens)('normaliseNameTokens($parts)', ({ parts, tokens }) => {
    expect(normaliseNameTokens(...parts)).toEqual(tokens);
  });

  it.each(GOLDEN_VECTORS.documentNumbers)('normaliseDocumentNumber($input)', ({ input, normalised }) => {
    expect(normaliseDocumentNumber(input)).toBe(normalised);
  });

  it.each(GOLDEN_VECTORS.recipientKeys)(
    'recipientKey($recipient, $version)',
    ({ recipient, version, key }) => {
      expect(ring.recipientKey(recipient, version).toString('hex')).toBe(key);
    },
  );

  it.each(Object.entries(GOLDEN_VECTORS.fingerprints))('fingerprint(%s)', (version, fingerprint) => {
    expect(ring.fingerprint(Number(version))).toBe(fingerprint);
  });

  it.each(GOLDEN_VECTORS.linkage)(
    'linkageTokens($subject) for $recipient under v$version',
    ({ subject, recipient, version, tokens }) => {
      const sut = new Pseudonymiser(ring, recipient, version);
      expect(sut.linkageTokens(GOLDEN_SUBJECTS[subject])).toEqual(tokens);
    },
  );

  it.each(GOLDEN_VECTORS.subj)('subjectTokens($subject) for audit', ({ subject, tokens }) => {
    expect(new Pseudonymiser(ring, 'audit').subjectTokens(GOLDEN_SUBJECTS[subject])).toEqual(tokens);
  });

  it.each(GOLDEN_VECTORS.caseTokens)('caseToken($reference)', ({ reference, token }) => {
    expect(new Pseudonymiser(ring, 'register').caseToken(reference)).toBe(token);
  });

  it('bodyDigest', () => {
    expect(bodyDigest(ring, GOLDEN_VECTORS.bodyDigest.value)).toBe(GOLDEN_VECTORS.bodyDigest.digest);
  });
});
