import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { aSignal } from '@ketenpoort/testing';
import { diffPolicies, formatPolicyDiff } from './policy.diff.js';
import { explain } from './policy.explain.js';
import { DEFAULT_POLICY_PATH, toSignal } from './policy.fixtures.js';
import { loadPolicyFile, parsePolicy } from './policy.parser.js';
import { FakeTokenIssuer } from './token-issuer.fake.js';

const policy = loadPolicyFile(DEFAULT_POLICY_PATH);
const text = readFileSync(DEFAULT_POLICY_PATH, 'utf8');

describe(explain.name, () => {
  it('names the rule, its line and the values of a field with several outputs', () => {
    const sut = explain(policy, toSignal(aSignal().build()), {
      reporterType: 'police',
      tokens: new FakeTokenIssuer(),
    });
    const birthDate = sut.fields.find((field) => field.field === 'subject.birthDate')!;
    expect(birthDate).toMatchObject({
      present: true,
      line: text.split('\n').findIndex((line) => line.includes('subject.birthDate:')) + 1,
      rule: 'pseudonymise, { generalise: birth-year }, { generalise: age-band }',
      action: 'generalised',
    });
    expect(birthDate.outputs.map(({ output, value }) => [output, value])).toEqual([
      ['subject.birthYear', 1999],
      ['subject.ageBandAtReport', '18-22'],
      ['tokens.linkage', expect.arrayContaining([expect.stringMatching(/^v7\.register\.nds\./)])],
    ]);
  });

  it('computes tokens with the issuer it is given', () => {
    const tokens = new FakeTokenIssuer();
    const sut = explain(policy, toSignal(aSignal().build()), { reporterType: 'police', tokens });
    expect(sut.evaluation?.tokens.map((token) => token.value)).toEqual(
      sut.fields
        .flatMap((field) => field.outputs.filter((o) => o.output.startsWith('tokens.')).map((o) => o.value))
        .flat()
        .filter((v, i, all) => all.indexOf(v) === i),
    );
    expect(tokens.linkageInputs).toHaveLength(1);
  });

  it('explains an unlisted field as dropped by default deny, without its value', () => {
    const sut = explain(policy, toSignal(aSignal().build()), {
      reporterType: 'police',
      tokens: new FakeTokenIssuer(),
    });
    expect(sut.fields.find((field) => field.field === 'subject.phone')).toEqual({
      field: 'subject.phone',
      present: true,
      line: null,
      rule: 'not listed: dropped (default deny)',
      action: 'dropped',
      outputs: [],
    });
    expect(JSON.stringify(sut)).not.toContain('+48600100200');
  });

  it('reports a consent refusal and still shows what would leave with consent', () => {
    const signal = toSignal(aSignal().withConsent({ status: 'refused' }).build());
    const sut = explain(policy, signal, { reporterType: 'care-coordinator', tokens: new FakeTokenIssuer() });
    expect([sut.outcome, sut.refusal?.code, sut.evaluation]).toEqual([
      'refused',
      'POLICY.CONSENT_REQUIRED',
      null,
    ]);
    expect(sut.fields.find((field) => field.field === 'subject.sex')?.outputs[0]).toEqual({
      rule: 'forward',
      output: 'subject.sex',
      value: 'female',
    });
  });

  it('reports an unknown purpose as a refusal with no outputs', () => {
    const signal = toSignal(aSignal().withPurpose('repatriation').build());
    const sut = explain(policy, signal, { reporterType: 'police', tokens: new FakeTokenIssuer() });
    expect([sut.outcome, sut.refusal?.code, sut.fields.every((field) => field.outputs.length === 0)]).toEqual(
      ['refused', 'POLICY.PURPOSE_UNKNOWN', true],
    );
  });

  it('lists derived outputs with their values', () => {
    const sut = explain(policy, toSignal(aSignal().withPurpose('shelter-placement').build()), {
      reporterType: 'shelter',
      tokens: new FakeTokenIssuer(),
      reporter: { organisation: 'opvang-amsterdam', contactPoint: 'meldpunt@opvang.example' },
    });
    expect(sut.derived.map(({ rule, output, value }) => ({ rule, output, value }))).toEqual([
      { rule: 'derived: contact-point', output: 'contact.point', value: 'meldpunt@opvang.example' },
    ]);
  });

  it('returns the evaluation evaluate would return', () => {
    const sut = explain(policy, toSignal(aSignal().build()), {
      reporterType: 'police',
      tokens: new FakeTokenIssuer(),
    });
    expect(sut.evaluation?.data).toMatchObject({ subject: { birthYear: 1999, sex: 'female' } });
    expect(sut.outcome).toBe('released');
  });
});

describe(diffPolicies.name, () => {
  const changed = (from: string, to: string) => parsePolicy(text.replace(from, to), 'candidate.yaml');

  it('finds a field a change starts releasing, for every reporter type of the purpose', () => {
    const candidate = changed(
      '      subject.languages: forward\n',
      '      subject.languages: forward\n      subject.address.postcode: { generalise: postcode-area }\n',
    );
    const sut = diffPolicies(policy, candidate);
    expect(sut.purposes).toHaveLength(1);
    expect(sut.purposes[0].purpose).toBe('shelter-placement');
    expect(sut.purposes[0].reporterTypes.map((t) => t.reporterType)).toHaveLength(7);
    expect(sut.purposes[0].reporterTypes[0].startsReleasing).toEqual([
      {
        field: 'subject.address.postcode',
        rule: '{ generalise: postcode-area }',
        output: 'subject.address.postcodeArea',
      },
    ]);
  });

  it('finds a field a change stops releasing', () => {
    const candidate = parsePolicy(
      text.replace(
        /(- id: registration[\s\S]*?)situation\.multiProblem: forward/,
        '$1situation.multiProblem: drop',
      ),
      'candidate.yaml',
    );
    const [registration] = diffPolicies(policy, candidate).purposes;
    expect([registration.purpose, registration.reporterTypes[0].stopsReleasing]).toEqual([
      'registration',
      [{ field: 'situation.multiProblem', rule: 'forward', output: 'situation.multiProblem' }],
    ]);
  });

  it('finds a ground and consent change for one reporter type only', () => {
    const candidate = changed(
      'labour-inspectorate: &decree { ground: { route: inspectorate-decree }, consent: none }',
      'labour-inspectorate: &decree { ground: { gdpr: [6(1)(a), 9(2)(a)] }, consent: required }',
    );
    const sut = diffPolicies(policy, candidate);
    expect(
      sut.purposes.map((p) => [p.purpose, p.reporterTypes.map((t) => [t.reporterType, t.ground, t.consent])]),
    ).toEqual([
      [
        'registration',
        [
          [
            'labour-inspectorate',
            {
              from: "Labour inspectorate's decree on the provision of data",
              to: 'AVG art. 6(1)(a); art. 9(2)(a)',
            },
            { from: 'none', to: 'required' },
          ],
        ],
      ],
      [
        'advice',
        [
          [
            'labour-inspectorate',
            {
              from: "Labour inspectorate's decree on the provision of data",
              to: 'AVG art. 6(1)(a); art. 9(2)(a)',
            },
            { from: 'none', to: 'required' },
          ],
        ],
      ],
    ]);
  });

  it('finds a reporter type that gains a purpose as starting to release everything the purpose releases', () => {
    const without = parsePolicy(
      text.replace('      other: *advice\n', '      other: not-permitted\n'),
      'old.yaml',
    );
    const sut = diffPolicies(without, policy);
    expect(
      sut.purposes[0].reporterTypes.map((t) => [t.reporterType, t.ground?.from, t.startsReleasing.length]),
    ).toEqual([['other', null, 5]]);
  });

  it('reports no change between a policy and itself', () => {
    expect(formatPolicyDiff(diffPolicies(policy, policy))).toContain('no change in what is released');
  });
});
