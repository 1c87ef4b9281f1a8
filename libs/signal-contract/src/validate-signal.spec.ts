import { describe, expect, it } from '@jest/globals';
import { validateSignal } from './validate-signal.js';

const valid = () => ({
  signalId: '3f0c8a2e-7d1b-4c55-9a1e-0b6f2a9c1d01',
  purpose: 'registration',
  reportedAt: '2020-03-14',
  subject: { givenNames: 'Anna', birthDate: '1999-04', nationalities: ['PL'] },
  exploitation: { forms: ['labour'] },
});

describe('validateSignal', () => {
  it('accepts a minimal signal', () => {
    expect(validateSignal(valid()).ok).toBe(true);
  });

  it('refuses unknown fields, bad dates and enum values with paths and without values', () => {
    const body = valid() as Record<string, unknown>;
    body.extra = 'CANARY-VALUE';
    (body.subject as Record<string, unknown>).birthDate = '1999-02-30';
    (body.subject as Record<string, unknown>).sex = 'CANARY-SEX';
    const result = validateSignal(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual(['extra', 'subject.birthDate', 'subject.sex']);
    expect(JSON.stringify(result.errors)).not.toContain('CANARY');
  });

  it('names array element paths', () => {
    const body = valid() as Record<string, unknown>;
    (body.subject as Record<string, unknown>).documents = [
      { type: 'passport', number: 'A1' },
      { type: 'x', number: 'B2' },
    ];
    const result = validateSignal(body);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['subject.documents[1].type']);
  });

  it('refuses a body nested thousands of levels deep without exhausting the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const body = { ...valid(), subject: { ...(valid().subject as object), givenNames: deep } };
    const result = validateSignal(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        { path: `subject.givenNames${'[0]'.repeat(14)}`, reasons: ['nests deeper than 16 levels'] },
      ]);
    }
  });

  it('refuses members that every object has, at any depth', () => {
    const body = JSON.parse(
      '{"constructor":{"x":1},"subject":{"toString":"a","__proto__":{"y":2}}}',
    ) as Record<string, unknown>;
    const result = validateSignal({
      ...valid(),
      ...body,
      subject: { ...valid().subject, ...(body.subject as object) },
    });
    expect(result.ok ? [] : result.errors.map((e) => e.path).sort()).toEqual([
      'constructor',
      'subject.__proto__',
      'subject.toString',
    ]);
  });

  it('refuses non-objects', () => {
    expect(validateSignal([valid()]).ok).toBe(false);
    expect(validateSignal('x').ok).toBe(false);
  });
});
