import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import canonicalize from 'canonicalize';
import { parse } from 'yaml';
import { DIRECT_IDENTIFIER_FIELDS, REPORTER_TYPES } from '@ketenpoort/signal-contract';
import { PolicyError } from './policy.error.js';
import { DEFAULT_POLICY_PATH, lineOf, policyText } from './policy.fixtures.js';
import { loadPolicyFile, parsePolicy } from './policy.parser.js';

const SOURCE = 'config/policies/test.yaml';

function refusal(text: string): PolicyError {
  try {
    parsePolicy(text, SOURCE);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('policy was accepted');
}

describe(parsePolicy.name, () => {
  it('reads purposes, grounds and field outputs', () => {
    const sut = parsePolicy(
      policyText({
        fields: [
          'subject.birthDate: [pseudonymise, { generalise: birth-year }]',
          'case.reference: { pseudonymise: case }',
        ],
      }),
      SOURCE,
    );
    expect(sut.source).toBe(SOURCE);
    expect(sut.destination).toBe('register');
    expect(sut.ageBands).toEqual([18, 23]);
    expect(sut.purposes[0].grounds.police).toEqual({
      legalGround: 'AVG art. 6(1)(a); art. 9(2)(a)',
      consent: 'required',
      basis: { gdpr: ['6(1)(a)', '9(2)(a)'] },
    });
    expect(sut.purposes[0].fields).toEqual({
      'subject.birthDate': [{ action: 'pseudonymise' }, { action: 'generalise', to: 'birth-year' }],
      'case.reference': [{ action: 'pseudonymise', kind: 'case' }],
    });
  });

  it('refuses a field signal v1 does not have, naming file, line and path', () => {
    const text = policyText({ fields: ['subject.sex: forward', 'subject.nickname: forward'] });
    const sut = refusal(text);
    expect(sut.code).toBe('POLICY.INVALID');
    expect(sut.message).toBe(
      `${SOURCE}:${lineOf(text, 'subject.nickname')} purposes[0].fields.subject.nickname: not a field of signal v1`,
    );
  });

  it.each(DIRECT_IDENTIFIER_FIELDS)('refuses forwarding the direct identifier %s', (field) => {
    const text = policyText({ fields: [`${field}: forward`] });
    expect(refusal(text).message).toBe(
      `${SOURCE}:${lineOf(text, field)} purposes[0].fields.${field}: is a direct identifier: it may only be pseudonymised or dropped, never forwarded`,
    );
  });

  it('refuses a direct identifier forwarded as one of several outputs', () => {
    const text = policyText({ fields: ['subject.familyName: [pseudonymise, forward]'] });
    expect(refusal(text).message).toContain(
      `:${lineOf(text, 'familyName')} purposes[0].fields.subject.familyName: is a direct identifier`,
    );
  });

  it('refuses releasing health notes when a ground does not name GDPR art. 9', () => {
    const grounds = REPORTER_TYPES.map((type) =>
      type === 'police'
        ? "police: { legalGround: 'Wpg art. 18 jo. Bpg art. 4:2', consent: none }"
        : `${type}: { legalGround: 'AVG art. 6(1)(a); art. 9(2)(a)', consent: required }`,
    );
    const text = policyText({ grounds, fields: ['situation.healthNotes: forward'] });
    expect(refusal(text).message).toBe(
      `${SOURCE}:${lineOf(text, 'healthNotes')} purposes[0].fields.situation.healthNotes: special-category data (GDPR art. 9) needs a legal ground naming art. 9; the ground of police does not`,
    );
  });

  it('accepts health notes when every permitted ground names art. 9', () => {
    const grounds = REPORTER_TYPES.map((type) =>
      type === 'police'
        ? 'police: not-permitted'
        : `${type}: { legalGround: 'AVG art. 6(1)(a); art. 9(2)(a)', consent: required }`,
    );
    const sut = parsePolicy(policyText({ grounds, fields: ['situation.healthNotes: forward'] }), SOURCE);
    expect(sut.purposes[0].grounds.police).toBe('not-permitted');
  });

  it('accepts health notes dropped under a ground without art. 9', () => {
    const grounds = REPORTER_TYPES.map((type) => `${type}: { legalGround: 'Wpg art. 18', consent: none }`);
    expect(() =>
      parsePolicy(policyText({ grounds, fields: ['situation.healthNotes: drop'] }), SOURCE),
    ).not.toThrow();
  });

  it('refuses a purpose without a ground for a reporter type', () => {
    const text = policyText({
      grounds: REPORTER_TYPES.filter((type) => type !== 'shelter').map(
        (type) => `${type}: { legalGround: 'AVG art. 6(1)(e)', consent: none }`,
      ),
    });
    expect(refusal(text).message).toBe(
      `${SOURCE}:${lineOf(text, 'police:')} purposes[0].grounds.shelter: no ground for reporter type shelter (write one, or 'not-permitted')`,
    );
  });

  it('refuses a ground for an unknown reporter type', () => {
    const text = policyText({
      grounds: [
        ...REPORTER_TYPES.map((type) => `${type}: { legalGround: 'AVG art. 6(1)(e)', consent: none }`),
        "lawyer: { legalGround: 'AVG art. 6(1)(e)', consent: none }",
      ],
    });
    expect(refusal(text).message).toContain(
      `:${lineOf(text, 'lawyer')} purposes[0].grounds.lawyer: unknown key`,
    );
  });

  it('refuses a consent rule other than none or required', () => {
    const text = policyText({
      grounds: REPORTER_TYPES.map((type) => `${type}: { legalGround: 'AVG art. 6(1)(e)', consent: maybe }`),
    });
    expect(refusal(text).message).toContain(
      `:${lineOf(text, 'police:')} purposes[0].grounds.police.consent: must be none or required`,
    );
  });

  it.each([
    ['subject.sex: publish', "unknown output 'publish'"],
    [
      'subject.birthDate: { generalise: decade }',
      "unknown generalise 'decade' (expected birth-year, age-band, minor-or-adult, postcode-area, date, month, region)",
    ],
    ['subject.sex: { generalise: birth-year }', "generalise 'birth-year' does not apply to this field"],
    ['subject.phone: pseudonymise', 'is no input of the linkage tokens'],
    ['subject.familyName: { pseudonymise: case }', "a 'case' token cannot be made from this field"],
    ['subject.familyName: { pseudonymise: phone }', "unknown pseudonymise 'phone' (expected case)"],
    ['subject.sex: [forward, drop]', 'drop cannot be combined with other outputs'],
    ['subject.sex: [forward, forward]', 'names the same output twice'],
    ['subject.sex: []', 'names no output (write drop)'],
    [
      'subject.documents[].number: pseudonymise',
      'can only be pseudonymised together with subject.documents[].type',
    ],
    [
      'subject.documents[].country: pseudonymise',
      'is only a linkage input together with subject.documents[].number',
    ],
  ])('refuses %s', (field, message) => {
    const text = policyText({ fields: [field] });
    const path = field.split(':')[0];
    expect(refusal(text).message).toContain(
      `${SOURCE}:${lineOf(text, path)} purposes[0].fields.${path}: ${message}`,
    );
  });

  it('refuses a retention that is not an ISO 8601 duration', () => {
    const text = policyText().replace('retention: P10Y', 'retention: 10 years');
    expect(refusal(text).message).toBe(
      `${SOURCE}:${lineOf(text, 'retention')} purposes[0].retention: must be an ISO 8601 duration such as P10Y`,
    );
  });

  it('refuses age bands that do not start at 18', () => {
    const text = policyText().replace('ageBands: [18, 23]', 'ageBands: [21, 16]');
    expect(refusal(text).message).toContain(
      `${SOURCE}:4 ageBands: must be ascending whole years starting at 18`,
    );
  });

  it('refuses an unknown key, such as a typo', () => {
    const text = policyText({ purposeExtra: ['retension: P1Y'] });
    expect(refusal(text).message).toContain(
      `${SOURCE}:${lineOf(text, 'retension')} purposes[0].retension: unknown key`,
    );
  });

  it('refuses a purpose defined twice', () => {
    const base = policyText();
    const second = base.slice(base.indexOf('  - id: registration'));
    expect(refusal(base + second).message).toContain(
      "purposes[1].id: purpose 'registration' is defined twice",
    );
  });

  it('refuses another format version', () => {
    expect(refusal(policyText().replace('format: 1', 'format: 2')).message).toBe(
      `${SOURCE}:2 format: must be 1`,
    );
  });

  it('refuses YAML that does not parse, naming the line', () => {
    const text = policyText().replace('destination: register', 'destination: [register');
    expect(refusal(text).message).toMatch(new RegExp(`^${SOURCE}:\\d+: `));
  });

  it('lists every problem, not just the first', () => {
    const sut = refusal(policyText({ fields: ['subject.nickname: forward', 'subject.phone: forward'] }));
    expect(sut.problems.map((problem) => problem.path)).toEqual([
      'purposes[0].fields.subject.nickname',
      'purposes[0].fields.subject.phone',
    ]);
  });

  it('accepts YAML anchors for shared grounds', () => {
    const grounds = REPORTER_TYPES.map((type, i) =>
      i === 0 ? `${type}: &g { legalGround: 'AVG art. 6(1)(e)', consent: none }` : `${type}: *g`,
    );
    expect(parsePolicy(policyText({ grounds }), SOURCE).purposes[0].grounds.other).toEqual({
      legalGround: 'AVG art. 6(1)(e)',
      consent: 'none',
      basis: { gdpr: ['6(1)(e)'] },
    });
  });

  it('returns a frozen policy', () => {
    const sut = parsePolicy(policyText(), SOURCE);
    expect(Object.isFrozen(sut.purposes[0].fields['subject.sex'])).toBe(true);
  });
});

describe('policy version', () => {
  it('is the hex SHA-256 of the canonical JSON of the document', () => {
    const text = policyText();
    const expected = createHash('sha256')
      .update(canonicalize(parse(text))!)
      .digest('hex');
    expect(parsePolicy(text, SOURCE).version).toBe(expected);
  });

  it('stays the same across comments, whitespace and key order', () => {
    const text = policyText();
    const reformatted = text
      .replace('# test policy', '# another comment')
      .replace('format: 1\ndestination: register', 'destination:    register   # where it goes\n\nformat: 1');
    expect(parsePolicy(reformatted, 'other.yaml').version).toBe(parsePolicy(text, SOURCE).version);
  });

  it('changes with a semantic change', () => {
    const text = policyText();
    expect(parsePolicy(text.replace('P10Y', 'P9Y'), SOURCE).version).not.toBe(
      parsePolicy(text, SOURCE).version,
    );
  });
});

describe(loadPolicyFile.name, () => {
  it('loads the shipped default policy with its three purposes', () => {
    const sut = loadPolicyFile(DEFAULT_POLICY_PATH);
    expect(sut.purposes.map((purpose) => purpose.id)).toEqual([
      'registration',
      'shelter-placement',
      'advice',
    ]);
    expect(sut.version).toMatch(/^[0-9a-f]{64}$/);
    expect(sut.version).toBe(parsePolicy(readFileSync(DEFAULT_POLICY_PATH, 'utf8'), 'x').version);
  });

  it('refuses a missing file with POLICY.INVALID naming the path', () => {
    expect(() => loadPolicyFile('/nonexistent/policy.yaml')).toThrow(
      expect.objectContaining({
        code: 'POLICY.INVALID',
        message: '/nonexistent/policy.yaml: cannot read (ENOENT)',
      }),
    );
  });
});
