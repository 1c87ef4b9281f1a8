import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DIRECT_IDENTIFIER_FIELDS,
  DOCUMENT_TYPES,
  REPORTER_TYPES,
  SEXES,
  readField,
} from '@ketenpoort/signal-contract';
import { aSignal } from '@ketenpoort/testing';
import { PolicyError } from './policy.error.js';
import { evaluate } from './policy.evaluator.js';
import { DEFAULT_POLICY_PATH, toSignal } from './policy.fixtures.js';
import { loadPolicyFile } from './policy.parser.js';
import { FakeTokenIssuer } from './token-issuer.fake.js';

const policy = loadPolicyFile(DEFAULT_POLICY_PATH);

// Values long enough that a chance match elsewhere in the output is negligible; birth dates end before the
// builder's exploitation and report dates, so a month-precision birth date cannot equal one of those.
const word = fc.stringMatching(/^[A-Za-zÀ-ÿŁłŚś]{7,20}$/);
const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' '));
const day = fc.date({
  min: new Date('1950-01-01T00:00:00Z'),
  max: new Date('2015-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const birthDate = fc.oneof(
  day.map((date) => date.toISOString().slice(0, 10)),
  day.map((date) => date.toISOString().slice(0, 7)),
);
const documentNumber = fc.stringMatching(/^[A-Z]{2}[0-9]{7,10}$/);

const signal = fc
  .record(
    {
      givenNames: name,
      familyName: name,
      birthDate,
      sex: fc.constantFrom(...SEXES),
      documents: fc.array(
        fc.record({
          type: fc.constantFrom(...DOCUMENT_TYPES),
          country: fc.constantFrom('PL', 'NG', 'NL'),
          number: documentNumber,
        }),
        { maxLength: 3 },
      ),
      phone: fc.stringMatching(/^\+[1-9][0-9]{9,12}$/),
      street: name.map((street) => `${street} 12`),
      officerName: name,
      officerEmail: word.map(
        (local) =>
          `${local
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z]/g, '')}x@politie.example`,
      ),
      purpose: fc.constantFrom('registration', 'shelter-placement', 'advice'),
      consentBy: fc.constantFrom('subject', 'guardian'),
    },
    { requiredKeys: ['purpose', 'consentBy', 'givenNames'] },
  )
  .map((r) => {
    let builder = aSignal()
      .withPurpose(r.purpose)
      .withConsent({ status: 'given', by: r.consentBy })
      .withSubject({
        givenNames: r.givenNames,
        familyName: r.familyName,
        birthDate: r.birthDate,
        sex: r.sex,
        documents: r.documents,
        phone: r.phone,
      })
      .with('subject.address.street', r.street)
      .withCase({ officer: { name: r.officerName, email: r.officerEmail } });
    for (const [key, path] of [
      ['familyName', 'subject.familyName'],
      ['birthDate', 'subject.birthDate'],
      ['sex', 'subject.sex'],
      ['documents', 'subject.documents'],
      ['phone', 'subject.phone'],
      ['street', 'subject.address.street'],
      ['officerName', 'case.officer.name'],
      ['officerEmail', 'case.officer.email'],
    ] as const) {
      if (r[key] === undefined) builder = builder.without(path);
    }
    return builder.build();
  });

describe('evaluate (property)', () => {
  it('never lets a direct identifier out, as submitted or lower-cased, except inside tokens', () => {
    fc.assert(
      fc.property(signal, fc.constantFrom(...REPORTER_TYPES), (plain, reporterType) => {
        let output: string;
        try {
          const evaluation = evaluate(policy, toSignal(plain), {
            reporterType,
            tokens: new FakeTokenIssuer(),
          });
          output = JSON.stringify(evaluation);
          for (const token of evaluation.tokens) output = output.split(token.value).join('');
        } catch (error) {
          if (!(error instanceof PolicyError)) throw error;
          output = JSON.stringify({ message: error.message, field: error.field, problems: error.problems });
        }
        for (const field of DIRECT_IDENTIFIER_FIELDS) {
          for (const value of readField(plain, field) as string[]) {
            expect(output).not.toContain(value);
            expect(output.toLowerCase()).not.toContain(value.toLowerCase());
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
