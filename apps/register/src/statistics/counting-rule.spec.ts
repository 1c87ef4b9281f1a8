import { describe, expect, it } from '@jest/globals';
import { isSexualExploitationOnly, personCounts } from './counting-rule.js';

const kmarSexual = { reporterType: 'kmar', sexualExploitationOnly: true };
const kmarSexualAndLabour = { reporterType: 'kmar', sexualExploitationOnly: false };
const policeSexual = { reporterType: 'police', sexualExploitationOnly: true };

describe(personCounts.name, () => {
  const sut = personCounts;

  it('leaves out under the rapporteur rule a person reported only by KMar for sexual exploitation', () => {
    expect(sut('rapporteur', [kmarSexual, kmarSexual])).toBe(false);
  });

  it('counts under the register rule a person reported only by KMar for sexual exploitation', () => {
    expect(sut('register', [kmarSexual])).toBe(true);
  });

  it('keeps under the rapporteur rule a person whose KMar report also lists labour', () => {
    expect(sut('rapporteur', [kmarSexual, kmarSexualAndLabour])).toBe(true);
  });

  it('keeps under the rapporteur rule a KMar sexual-only person also reported by the police', () => {
    expect(sut('rapporteur', [kmarSexual, policeSexual])).toBe(true);
  });

  it('does not count a person without reports in the year', () => {
    expect(sut('register', [])).toBe(false);
  });
});

describe(isSexualExploitationOnly.name, () => {
  const sut = isSexualExploitationOnly;

  it('is true for sexual as the only form', () => {
    expect(sut(['sexual'])).toBe(true);
  });

  it('is false when labour is listed too', () => {
    expect(sut(['sexual', 'labour'])).toBe(false);
  });

  it('is false without forms', () => {
    expect(sut(undefined)).toBe(false);
  });
});
