import { randomUUID } from 'node:crypto';

const NATIONALITIES = ['PL', 'RO', 'UA', 'BG', 'HU', 'NG', 'VN', 'ER'];
/** Syllables that make names of the lengths real ones have (DOMAIN.md: 4-8 letter given names, 5-10 letter family names). */
const SYLLABLES = ['ka', 'li', 'na', 'mo', 'ra', 'se', 'vi', 'to', 'le', 'mi', 'an', 'el'];
const SYLLABLES_2 = ['ro', 'su', 'da', 'ne', 'ta', 'ri', 'lo', 've', 'sa', 'mar', 'ol', 'ir'];
const FAMILY_ENDINGS = ['', 'ska', 'ova', 'escu', 'enko', 'ic'];
const S = SYLLABLES.length;

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * Person number `p` as a name: the given name spells p's lowest two base-12 digits in syllables (144
 * given names of 4-6 letters), the family name the next three (1,728 stems, plus an ending): 248,832
 * distinct (given, family) pairs, and with the birth date (16,380 dates) far more distinct persons than
 * any run needs. Real names, not digits: a tag of digits in a name makes names twice as long as real
 * ones and so doubles the one-deletion linkage tokens every signal carries.
 */
function personName(p: number): { givenNames: string; familyName: string } {
  const digit = (i: number) => Math.floor(p / S ** i) % S;
  const given = capital(SYLLABLES[digit(0)] + SYLLABLES_2[digit(1)]);
  const stem = SYLLABLES_2[digit(2)] + SYLLABLES[digit(3)] + SYLLABLES_2[digit(4)];
  const family = capital(stem + FAMILY_ENDINGS[Math.floor(p / S ** 5) % FAMILY_ENDINGS.length]);
  // One person in four has a second given name, as in the chain's registrations.
  const second = p % 4 === 0 ? ` ${capital(SYLLABLES[digit(1)] + SYLLABLES_2[digit(0)] + 'a')}` : '';
  return { givenNames: given + second, familyName: family };
}

/**
 * Signal v1 number `n` of a run: every n names another person (names, birth date, document, phone all
 * derived from n and a run seed), so no identity repeats and no token can be cached between signals.
 */
export function distinctSignal(n: number, seed: string): Record<string, unknown> {
  const tag = `${seed}${n.toString(36)}`;
  const person = n + seedOffset(seed);
  // Names repeat every 248,832 persons; the birth date (person mod 16,380: 12 months of 28 days over 49 years) differs between two persons
  // of the same name for the first 455 repeats, so (name, birth date) is unique for 113 million persons.
  const day = person % 16_380;
  const year = 1960 + Math.floor(day / 336);
  const month = String(1 + Math.floor((day % 336) / 28)).padStart(2, '0');
  const dayOfMonth = String(1 + (day % 28)).padStart(2, '0');
  return {
    signalId: randomUUID(),
    purpose: 'registration',
    reportedAt: `20${String(15 + (n % 10)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`,
    consent: { status: 'given', by: 'subject', date: '2020-03-14' },
    subject: {
      ...personName(person),
      birthDate: `${year}-${month}-${dayOfMonth}`,
      birthDateEstimated: false,
      sex: n % 3 === 0 ? 'male' : 'female',
      nationalities: [NATIONALITIES[n % NATIONALITIES.length]],
      documents: [
        {
          type: 'passport',
          country: 'PL',
          number: `EA${person.toString(36).toUpperCase().padStart(7, '0')}`,
        },
      ],
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

/** Where a run's persons start, from its seed: runs with different seeds name different persons. */
function seedOffset(seed: string): number {
  let h = 0;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h * S ** 5;
}
