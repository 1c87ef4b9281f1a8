import { describe, expect, it } from '@jest/globals';
import {
  coversCriminalOffence,
  coversSpecialCategory,
  legalBasisFromText,
  legalBasisText,
} from './legal-ground.js';

describe(legalBasisFromText.name, () => {
  it.each([
    ['AVG art. 6(1)(a); art. 9(2)(a)', { gdpr: ['6(1)(a)', '9(2)(a)'] }],
    ['Wpg art. 18 jo. Bpg art. 4:2', { route: 'police-data-act', gdpr: [] }],
    ["Labour inspectorate's decree on the provision of data", { route: 'inspectorate-decree', gdpr: [] }],
    ['GDPR artikel 6 (1) (e) and art. 10', { gdpr: ['6(1)(e)', '10'] }],
  ])('reads %j', (text, basis) => {
    expect(legalBasisFromText(text)).toEqual(basis);
  });

  it('finds nothing in text that cites no article or route', () => {
    expect(legalBasisFromText('the consent form')).toBeNull();
  });
});

describe(legalBasisText.name, () => {
  it('renders the texts records carried before grounds were structured', () => {
    expect([
      legalBasisText({ route: 'police-data-act', gdpr: [] }),
      legalBasisText({ gdpr: ['6(1)(a)', '9(2)(a)'] }),
    ]).toEqual(['Wpg art. 18 jo. Bpg art. 4:2', 'AVG art. 6(1)(a); art. 9(2)(a)']);
  });
});

describe(coversSpecialCategory.name, () => {
  it('needs an art. 9(2) exception, also next to a sector route', () => {
    expect([
      coversSpecialCategory({ gdpr: ['6(1)(a)', '9(2)(a)'] }),
      coversSpecialCategory({ route: 'police-data-act', gdpr: [] }),
    ]).toEqual([true, false]);
  });
});

describe(coversCriminalOffence.name, () => {
  it('needs art. 10 with a law or authority, or a sector route', () => {
    expect([
      coversCriminalOffence({ gdpr: ['6(1)(e)', '10'], law: 'Wet X art. 2' }),
      coversCriminalOffence({ gdpr: ['6(1)(e)', '10'] }),
      coversCriminalOffence({ route: 'inspectorate-decree', gdpr: [] }),
      coversCriminalOffence({ gdpr: ['6(1)(a)'] }),
    ]).toEqual([true, false, true, false]);
  });
});
