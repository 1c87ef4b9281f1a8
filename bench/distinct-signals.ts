import { randomUUID } from 'node:crypto';

const GIVEN = ['Anna', 'Maria', 'Olena', 'Iryna', 'Ewa', 'Joanna', 'Nadia', 'Fatima', 'Ioana', 'Lina'];
const FAMILY = ['Kowalska', 'Nowak', 'Shevchenko', 'Popescu', 'Ionescu', 'Horvath', 'Petrova', 'Ali'];
const NATIONALITIES = ['PL', 'RO', 'UA', 'BG', 'HU', 'NG', 'VN', 'ER'];

/**
 * Signal v1 number `n` of a run: every n names another person (names, birth date, document, phone all
 * derived from n and a run seed), so no identity repeats and no token can be cached between signals.
 */
export function distinctSignal(n: number, seed: string): Record<string, unknown> {
  const tag = `${seed}${n.toString(36)}`;
  const year = 1960 + (n % 45);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  return {
    signalId: randomUUID(),
    purpose: 'registration',
    reportedAt: `20${String(15 + (n % 10)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`,
    consent: { status: 'given', by: 'subject', date: '2020-03-14' },
    subject: {
      givenNames: `${GIVEN[n % GIVEN.length]} ${tag}`,
      familyName: `${FAMILY[(n >> 3) % FAMILY.length]}${tag}`,
      birthDate: `${year}-${month}-${day}`,
      birthDateEstimated: false,
      sex: n % 3 === 0 ? 'male' : 'female',
      nationalities: [NATIONALITIES[n % NATIONALITIES.length]],
      documents: [{ type: 'passport', country: 'PL', number: `EA${tag.toUpperCase()}`.slice(0, 20) }],
      phone: `+48${String(600000000 + n).slice(0, 9)}`,
      address: { street: `Dorpsstraat ${1 + (n % 300)}`, postcode: '5211 AB', municipality: 'GM0796' },
      languages: ['pl'],
    },
    exploitation: {
      forms: [n % 4 === 0 ? 'sexual' : 'labour'],
      sector: 'agriculture',
      countries: ['NL'],
      policeUnit: 'oost-brabant',
      startedAt: '2019-11',
      endedAt: '2020-02',
    },
    situation: { needsShelter: n % 2 === 0, residence: 'eu-citizen', multiProblem: false },
    case: { reference: `POL-${tag}`, officer: { name: 'Jan de Vries', email: 'j.devries@politie.example' } },
  };
}
