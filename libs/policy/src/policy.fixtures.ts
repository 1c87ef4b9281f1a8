import { fileURLToPath } from 'node:url';
import { REPORTER_TYPES, validateSignal, type SignalV1Dto } from '@ketenpoort/signal-contract';

/** Path of the shipped default policy. */
export const DEFAULT_POLICY_PATH = fileURLToPath(
  new URL('../../../config/policies/register.yaml', import.meta.url),
);

/** A validated signal from a plain object; fails loudly when the test data itself is invalid. */
export function toSignal(plain: unknown): SignalV1Dto {
  const result = validateSignal(plain);
  if (!result.ok) throw new Error(`invalid test signal: ${JSON.stringify(result.errors)}`);
  return result.signal;
}

const ART9_GROUND = "{ legalGround: 'AVG art. 6(1)(a); art. 9(2)(a)', consent: required }";

/** A small one-purpose policy document for parser and evaluator tests. */
export function policyText(
  options: { fields?: string[]; grounds?: string[]; purposeExtra?: string[] } = {},
): string {
  const grounds = options.grounds ?? REPORTER_TYPES.map((type) => `${type}: ${ART9_GROUND}`);
  const fields = options.fields ?? ['subject.sex: forward'];
  return [
    '# test policy',
    'format: 1',
    'destination: register',
    'ageBands: [18, 23]',
    'purposes:',
    '  - id: registration',
    '    description: test purpose',
    '    processingActivity: TEST-01',
    '    dossierType: registration',
    '    retention: P10Y',
    ...(options.purposeExtra ?? []).map((line) => `    ${line}`),
    '    grounds:',
    ...grounds.map((line) => `      ${line}`),
    '    fields:',
    ...fields.map((line) => `      ${line}`),
    '',
  ].join('\n');
}

/** 1-based line number of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`'${needle}' not in text`);
  return index + 1;
}
