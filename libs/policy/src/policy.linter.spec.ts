import { describe, expect, it } from '@jest/globals';
import { REPORTER_TYPES } from '@ketenpoort/signal-contract';
import { loadPartnersFile } from '@ketenpoort/pki';
import { fileURLToPath } from 'node:url';
import { lintPolicyText } from './lint-policy-text.js';
import { DEFAULT_POLICY_PATH, lineOf, policyText } from './policy.fixtures.js';
import { lintPolicy, type LintOptions } from './policy.linter.js';
import { loadPolicyFile, parsePolicy } from './policy.parser.js';

const SOURCE = 'policies/test.yaml';
const PARTNERS_PATH = fileURLToPath(new URL('../../../config/partners.yaml', import.meta.url));

const everyType = (ground: string) => REPORTER_TYPES.map((type) => `${type}: ${ground}`);
const CONSENT = '{ ground: { gdpr: [6(1)(a), 9(2)(a)] }, consent: required }';

/** The problems as the CLI prints them: `<line> <path>: <message>`. */
function problems(text: string, partners?: LintOptions['partners']): string[] {
  return lintPolicyText(text, SOURCE, { partners }).problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
}

describe(lintPolicy.name, () => {
  it('passes the shipped policy against the shipped partners', () => {
    expect(
      lintPolicy(loadPolicyFile(DEFAULT_POLICY_PATH), { partners: loadPartnersFile(PARTNERS_PATH).partners }),
    ).toEqual([]);
  });

  it('refuses an unknown field path', () => {
    const text = policyText({ fields: ['subject.nickname: forward'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'nickname')} purposes[0].fields.subject.nickname: not a field of signal v1`,
    ]);
  });

  it('refuses a direct identifier masked', () => {
    const text = policyText({ fields: ['subject.phone: { mask: { first: 3 } }'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'phone')} purposes[0].fields.subject.phone: is a direct identifier: it may only be pseudonymised or dropped, never masked`,
    ]);
  });

  it('refuses a direct identifier forwarded', () => {
    const text = policyText({ fields: ['case.officer.email: forward'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'officer')} purposes[0].fields.case.officer.email: is a direct identifier: it may only be pseudonymised or dropped, never forwarded`,
    ]);
  });

  it.each([
    ['{ mask: { first: -1 } }'],
    ['{ mask: { first: two } }'],
    ['{ mask: { first: 0, last: 0 } }'],
    ['{ mask: { first: 40 } }'],
  ])('refuses a mask with bad parameters: %s', (mask) => {
    const text = policyText({ fields: [`case.reference: ${mask}`] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'case.reference')} purposes[0].fields.case.reference: mask needs whole numbers first and last from 0 to 16, at least one of them above 0`,
    ]);
  });

  it('refuses a mask with an unknown parameter', () => {
    const text = policyText({ fields: ['case.reference: { mask: { middle: 2 } }'] });
    expect(problems(text)[0]).toMatch(/purposes\[0]\.fields\.case\.reference\.mask\.middle: unknown key/);
  });

  it('refuses a mask on free text', () => {
    const text = policyText({ fields: ['situation.narrative: { mask: { first: 10 } }'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'narrative')} purposes[0].fields.situation.narrative: mask applies only to subject.address.postcode, exploitation.sector, exploitation.policeUnit, case.reference (never to free text)`,
    ]);
  });

  it('refuses a generaliser on a field it does not apply to', () => {
    const text = policyText({ fields: ['subject.languages: { generalise: region }'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'languages')} purposes[0].fields.subject.languages: generalise 'region' does not apply to this field`,
    ]);
  });

  it('refuses health notes released without an art. 9 ground, naming the reporter types', () => {
    const grounds = everyType(CONSENT).map((line) =>
      line.startsWith('kmar') ? 'kmar: { ground: { route: police-data-act }, consent: none }' : line,
    );
    const text = policyText({ grounds, fields: ['situation.healthNotes: forward'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'healthNotes')} purposes[0].fields.situation.healthNotes: special-category data (GDPR art. 9) needs a legal ground naming art. 9; the ground of kmar does not`,
    ]);
  });

  it('refuses a field marked art. 9 in the policy without an art. 9 ground', () => {
    const text = policyText({
      grounds: everyType('{ ground: { gdpr: [6(1)(e)] }, consent: none }'),
      fields: ['situation.multiProblem: forward'],
    }).replace('purposes:', 'categories:\n  situation.multiProblem: special-category\npurposes:');
    expect(problems(text)).toEqual([
      `${lineOf(text, 'multiProblem: forward')} purposes[0].fields.situation.multiProblem: special-category data (GDPR art. 9) needs a legal ground naming art. 9; the ground of ${REPORTER_TYPES.join(', ')} does not`,
    ]);
  });

  it('refuses criminal-offence data without art. 10 and a law, or a sector route', () => {
    const text = policyText({
      grounds: everyType('{ ground: { gdpr: [6(1)(e)] }, consent: none }').map((line) =>
        line.startsWith('police') ? 'police: { ground: { route: police-data-act }, consent: none }' : line,
      ),
      fields: ['exploitation.forms: forward'],
    }).replace('purposes:', 'categories:\n  exploitation.forms: criminal-offence\npurposes:');
    expect(problems(text)).toEqual([
      `${lineOf(text, 'forms: forward')} purposes[0].fields.exploitation.forms: criminal-offence data (GDPR art. 10) needs art. 10 with the law or authority named, or a sector route; the ground of ${REPORTER_TYPES.filter((t) => t !== 'police').join(', ')} does not`,
    ]);
  });

  it('accepts criminal-offence data under art. 10 with the law named', () => {
    const text = policyText({
      grounds: everyType("{ ground: { gdpr: [6(1)(e), 10], law: 'Wet X art. 2' }, consent: none }"),
      fields: ['exploitation.forms: forward'],
    }).replace('purposes:', 'categories:\n  exploitation.forms: criminal-offence\npurposes:');
    expect(problems(text)).toEqual([]);
  });

  it('refuses art. 10 without the law or authority', () => {
    const text = policyText({ grounds: everyType('{ ground: { gdpr: [6(1)(e), 10] }, consent: none }') });
    expect(problems(text)[0]).toBe(
      `${lineOf(text, 'police:')} purposes[0].grounds.police: names art. 10 without the law or authority that permits it (write law: or authority:)`,
    );
  });

  it('refuses a consent ground whose consent rule is none', () => {
    const text = policyText({ grounds: everyType('{ ground: { gdpr: [6(1)(a)] }, consent: none }') });
    expect(problems(text)[0]).toBe(
      `${lineOf(text, 'police:')} purposes[0].grounds.police: names consent (art. 6(1)(a) or 9(2)(a)) as its ground, so consent cannot be none`,
    );
  });

  it('refuses a text ground that cites no article or route', () => {
    const text = policyText({ grounds: everyType("{ legalGround: 'the consent form', consent: required }") });
    expect(problems(text)[0]).toMatch(
      /^\d+ purposes\[0]\.grounds\.police: names no GDPR article or sector route/,
    );
  });

  it('refuses an unknown sector route and an unknown article', () => {
    const text = policyText({
      grounds: everyType('{ ground: { route: police-data-act }, consent: none }').map((line) =>
        line.startsWith('police')
          ? 'police: { ground: { route: customs-act }, consent: none }'
          : line.startsWith('kmar')
            ? 'kmar: { ground: { gdpr: [6(1)(z)] }, consent: none }'
            : line,
      ),
    });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'police:')} purposes[0].grounds.police.ground.route: unknown sector route 'customs-act' (expected police-data-act, inspectorate-decree)`,
      `${lineOf(text, 'kmar:')} purposes[0].grounds.kmar.ground.gdpr: unknown GDPR article '6(1)(z)' (expected 6(1)(a)-(f), 9(2)(a)-(j) or 10)`,
    ]);
  });

  it('refuses two rules that write one output', () => {
    const text = policyText({ fields: ['reportedAt: [forward, { generalise: month }]'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'reportedAt:')} purposes[0].fields.reportedAt: writes reportedAt, which reportedAt forward also writes`,
    ]);
  });

  it('refuses an unknown derived output', () => {
    const text = policyText({ purposeExtra: ['derived: [shoe-size]'] });
    expect(problems(text)).toEqual([
      `${lineOf(text, 'derived:')} purposes[0].derived: unknown derived output 'shoe-size' (expected age-at-report, minor, cross-border, dossier-type, contact-point)`,
    ]);
  });

  it('refuses a derived output that releases special-category data without art. 9', () => {
    const text = policyText({
      grounds: everyType('{ ground: { gdpr: [6(1)(e)] }, consent: none }'),
      purposeExtra: ['derived: [cross-border]'],
    }).replace('purposes:', 'categories:\n  exploitation.countries: special-category\npurposes:');
    expect(problems(text)[0]).toMatch(
      new RegExp(
        `^${lineOf(text, 'derived:')} purposes\\[0]\\.derived: exploitation\\.countries: special-category data`,
      ),
    );
  });

  it('refuses a purpose without a ground for the reporter type of a partner allowed to use it', () => {
    const text = policyText({
      grounds: everyType(CONSENT).map((line) =>
        line.startsWith('shelter') ? 'shelter: not-permitted' : line,
      ),
    });
    const partners = [
      { id: 'opvang-amsterdam', reporterType: 'shelter' as const, purposes: ['registration'] },
    ];
    expect(problems(text, partners)).toEqual([
      `${lineOf(text, 'shelter:')} purposes[0].grounds.shelter: partner 'opvang-amsterdam' (shelter) may use purpose 'registration', but the policy gives shelter no ground for it`,
    ]);
  });

  it('refuses a purpose a partner may use that the policy does not define', () => {
    const partners = [
      { id: 'kmar', reporterType: 'kmar' as const, purposes: ['registration', 'repatriation'] },
    ];
    expect(problems(policyText(), partners)).toEqual([
      "1 purposes: partner 'kmar' may use purpose 'repatriation', which the policy does not define",
    ]);
  });

  it('finds nothing wrong with a sound policy', () => {
    expect(lintPolicy(parsePolicy(policyText(), SOURCE))).toEqual([]);
  });
});
