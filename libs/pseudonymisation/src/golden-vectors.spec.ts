import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { GOLDEN_SUBJECTS, GOLDEN_VECTORS } from './__fixtures__/golden-vectors.fixture.js';
import { RICHER_GOLDEN_VECTORS } from './__fixtures__/richer-golden-vectors.fixture.js';
import { TEST_KEY_RING_DATA } from './__fixtures__/test-key-ring.js';
import { bodyDigest } from './body-digest.js';
import { KeyRing } from './key-ring/key-ring.js';
import { normaliseDocumentNumber } from './normalise/document.normaliser.js';
import { normaliseName, normaliseNameTokens } from './normalise/name.normaliser.js';
import { richerInputs } from './normalise/richer-input.js';
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
      const trunk = sut
        .linkageTokens(GOLDEN_SUBJECTS[subject])
        .filter((t) => t.kind === 'doc' || t.kind === 'nds');
      expect(trunk).toEqual(tokens);
    },
  );

  it.each(Object.entries(RICHER_GOLDEN_VECTORS.richerInputs))('richerInputs(%s)', (subject, inputs) => {
    const actual = Object.fromEntries(
      [...richerInputs(GOLDEN_SUBJECTS[subject])].map(([kind, values]) => [
        kind,
        values.map((v) => v.split('\u001f').join('|')),
      ]),
    );
    expect(actual).toEqual(inputs);
  });

  it.each(RICHER_GOLDEN_VECTORS.richerTokens)(
    'richer linkage tokens of $subject under v$version',
    ({ subject, version, count, sha256 }) => {
      const tokens = new Pseudonymiser(ring, 'register', version)
        .linkageTokens(GOLDEN_SUBJECTS[subject])
        .filter((t) => t.kind !== 'doc' && t.kind !== 'nds');
      const digest = createHash('sha256')
        .update(tokens.map((t) => t.value).join('\n'))
        .digest('hex');
      expect({ count: tokens.length, sha256: digest }).toEqual({ count, sha256 });
    },
  );

  it('linkageTokens of a year-only subject', () => {
    const sut = new Pseudonymiser(ring, 'register', 1);
    expect(sut.linkageTokens({ givenNames: 'Ali', familyName: 'Haddad', birthDate: '1990' })).toEqual(
      RICHER_GOLDEN_VECTORS.yearOnly,
    );
  });

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
