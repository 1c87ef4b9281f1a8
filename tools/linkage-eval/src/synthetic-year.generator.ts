import { NATIONALITIES, type NationalityNames } from './name-variants.table.js';

/** The kinds of variation a later report can carry; `format` is always possible. */
export const VARIATIONS = [
  'format',
  'typo-family',
  'typo-given',
  'transliteration',
  'year-only',
  'estimated',
  'unknown-sex',
] as const;
export type Variation = (typeof VARIATIONS)[number];

export interface SyntheticSubject {
  givenNames?: string;
  familyName?: string;
  birthDate?: string;
  birthDateEstimated?: boolean;
  sex: 'female' | 'male' | 'unknown';
  documents?: { type: string; country?: string; number: string }[];
}

export interface SyntheticReport {
  reportId: string;
  /** Ground truth: the person this report is about. */
  personId: string;
  reporterType: string;
  forms: string[];
  reportedAt: string;
  subject: SyntheticSubject;
  /** Variations applied to this report (the first report of a person carries formatting only). */
  variations: Variation[];
}

export interface GeneratorOptions {
  seed: number;
  persons: number;
  year: number;
  /** false: formatting variation only (case, diacritics, spacing, order, document formatting). */
  fullMix: boolean;
  /** Persons reported only by KMar with sexual exploitation only (the Rapporteur leaves them out). */
  kmarSexualOnly?: number;
  /** Share of persons that get a look-alike (same names, birth date within weeks). Default 0.06. */
  lookAlikeRate?: number;
  /** Forged documents, each carried by two or three distinct persons. Default 4. */
  forgedDocuments?: number;
}

/** Rates of the issue (§5), per later report. */
export const RATES = {
  typoFamily: 0.1,
  typoGiven: 0.1,
  transliteration: 0.08,
  yearOnly: 0.1,
  estimated: 0.05,
  unknownSex: 0.05,
  personHasDocument: 0.5,
  reportCarriesDocument: 0.5,
};

/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  personId: string;
  nationality: NationalityNames;
  sex: 'female' | 'male';
  given: string[];
  family: string[];
  birthDate: string;
  document: { type: string; country: string; number: string } | null;
  kmarSexualOnly: boolean;
}

const REPORTERS: [string, number][] = [
  ['police', 0.5],
  ['care-coordinator', 0.22],
  ['shelter', 0.1],
  ['labour-inspectorate', 0.06],
  ['youth-care', 0.05],
  ['kmar', 0.04],
  ['other', 0.03],
];
const FORMS = ['sexual', 'labour', 'criminal', 'other'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A synthetic reporting year with ground truth: persons from twelve nationalities, each reported 1-3 times by
 * different reporters, the later reports varied at the rates of `RATES` (or by formatting only), documents on
 * about half the persons and half their reports, look-alike persons and a few forged documents shared by
 * distinct persons. The same options give the same year.
 *
 * @example
 * generateYear({ seed: 1, persons: 1000, year: 2020, fullMix: true }).reports.length; // about 2000
 */
export function generateYear(options: GeneratorOptions): { reports: SyntheticReport[]; persons: number } {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const persons: Person[] = [];
  const newPerson = (base?: Person): Person => {
    const nationality = base?.nationality ?? pick(NATIONALITIES);
    const sex = base?.sex ?? (chance(0.55) ? 'female' : 'male');
    const given = base?.given ?? pick(sex === 'female' ? nationality.female : nationality.male);
    let family = base?.family ?? pick(nationality.family);
    if (!base && sex === 'female' && nationality.femaleFamily) family = family.map(nationality.femaleFamily);
    let birthDate: string;
    if (base) {
      // A look-alike: same names, birth date a few days to weeks away, same year.
      const d = new Date(`${base.birthDate}T00:00:00Z`);
      const shift = (1 + Math.floor(random() * 40)) * (d.getUTCMonth() < 6 ? 1 : -1);
      d.setUTCDate(d.getUTCDate() + shift);
      birthDate = d.toISOString().slice(0, 10);
    } else {
      const year = options.year - 16 - Math.floor(random() * 30);
      birthDate = `${year}-${pad(1 + Math.floor(random() * 12))}-${pad(2 + Math.floor(random() * 26))}`;
    }
    const document = chance(RATES.personHasDocument)
      ? {
          type: pick(['passport', 'national-id', 'residence-permit']),
          country: nationality.code,
          number: `${String.fromCharCode(65 + Math.floor(random() * 26))}${String.fromCharCode(65 + Math.floor(random() * 26))}${pad(Math.floor(random() * 1e7), 7)}`,
        }
      : null;
    return {
      personId: `p${pad(persons.length, 5)}`,
      nationality,
      sex,
      given,
      family,
      birthDate,
      document,
      kmarSexualOnly: false,
    };
  };
  const lookAlikes = Math.ceil(options.persons * (options.lookAlikeRate ?? 0.06));
  // Two distinct persons never share names, birth date and sex: no linker could tell them apart, and the
  // formatting-only target (exact counts) presupposes it.
  const identities = new Set<string>();
  const admit = (person: Person) => {
    const identity = `${person.given[0]}|${person.family[0]}|${person.birthDate}|${person.sex}`;
    if (identities.has(identity)) return;
    identities.add(identity);
    persons.push(person);
  };
  while (persons.length < options.persons - lookAlikes) admit(newPerson());
  while (persons.length < options.persons)
    admit(newPerson(pick(persons.slice(0, options.persons - lookAlikes))));

  for (let i = 0; i < (options.forgedDocuments ?? 4); i++) {
    const holders = [pick(persons), pick(persons), ...(chance(0.5) ? [pick(persons)] : [])];
    const forged = holders.find((p) => p.document)?.document ?? {
      type: 'passport',
      country: holders[0].nationality.code,
      number: `FX${pad(Math.floor(random() * 1e7), 7)}`,
    };
    for (const holder of holders) holder.document = forged;
  }
  const shuffledIds = persons.map((_, i) => i).sort(() => random() - 0.5);
  for (const i of shuffledIds.slice(0, options.kmarSexualOnly ?? 0)) persons[i].kmarSexualOnly = true;

  const reports: SyntheticReport[] = [];
  for (const person of persons) {
    const count = 1 + Math.floor(random() * 3);
    const reporters: string[] = [];
    for (let n = 0; n < count; n++) {
      let reporter: string;
      if (person.kmarSexualOnly) reporter = 'kmar';
      else {
        let roll = random();
        reporter = REPORTERS.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'police';
      }
      reporters.push(reporter);
      const forms = person.kmarSexualOnly ? ['sexual'] : [pick(FORMS), ...(chance(0.2) ? [pick(FORMS)] : [])];
      const variations: Variation[] = ['format'];
      const subject = reportSubject(person, n > 0 && options.fullMix, variations, random);
      reports.push({
        reportId: `${person.personId}-r${n}`,
        personId: person.personId,
        reporterType: reporter,
        forms: [...new Set(forms)],
        reportedAt: `${options.year}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
        subject,
        variations,
      });
    }
    // Only the designated persons may end up reported by KMar alone with sexual exploitation only.
    const own = reports.filter((r) => r.personId === person.personId);
    if (
      !person.kmarSexualOnly &&
      own.every((r) => r.reporterType === 'kmar' && r.forms.every((f) => f === 'sexual'))
    ) {
      own[0].forms = ['labour'];
    }
  }
  return { reports, persons: persons.length };
}

function reportSubject(
  person: Person,
  vary: boolean,
  variations: Variation[],
  random: () => number,
): SyntheticSubject {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  let given = person.given[0];
  let family = person.family[0];
  let birthDate = person.birthDate;
  let birthDateEstimated = false;
  let sex: SyntheticSubject['sex'] = person.sex;
  if (vary) {
    if (chance(RATES.transliteration) && (person.given.length > 1 || person.family.length > 1)) {
      variations.push('transliteration');
      if (person.family.length > 1 && (person.given.length === 1 || chance(0.5)))
        family = pick(person.family.slice(1));
      else given = pick(person.given.slice(1));
    }
    if (chance(RATES.typoFamily)) {
      variations.push('typo-family');
      family = typo(family, random);
    }
    if (chance(RATES.typoGiven)) {
      variations.push('typo-given');
      given = typo(given, random);
    }
    if (chance(RATES.yearOnly)) {
      variations.push('year-only');
      birthDate = birthDate.slice(0, 4);
    } else if (chance(RATES.estimated)) {
      variations.push('estimated');
      birthDate = `${Number(birthDate.slice(0, 4)) + pick([-1, 0, 1])}-01-01`;
      birthDateEstimated = true;
    }
    if (chance(RATES.unknownSex)) {
      variations.push('unknown-sex');
      sex = 'unknown';
    }
  }
  const subject: SyntheticSubject = { sex, birthDate, ...(birthDateEstimated ? { birthDateEstimated } : {}) };
  Object.assign(subject, formatNames(given, family, person.nationality, random));
  if (person.document && chance(RATES.reportCarriesDocument)) {
    subject.documents = [{ ...person.document, number: formatDocument(person.document.number, random) }];
  }
  return subject;
}

/** One random edit inside a Latin name (substitution, deletion, insertion or transposition), never the first letter. */
function typo(name: string, random: () => number): string {
  const positions = [...name].map((c, i) => (/[a-z]/.test(c) && i > 0 ? i : -1)).filter((i) => i > 0);
  if (positions.length < 2) return name;
  const i = positions[Math.floor(random() * positions.length)];
  const letter = 'abcdefghijklmnoprstuvz'[Math.floor(random() * 22)];
  switch (Math.floor(random() * 4)) {
    case 0:
      return name.slice(0, i) + letter + name.slice(i + 1);
    case 1:
      return name.slice(0, i) + name.slice(i + 1);
    case 2:
      return name.slice(0, i) + letter + name.slice(i);
    default:
      return i + 1 < name.length
        ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2)
        : name.slice(0, i);
  }
}

/** Formatting only: case, diacritics dropped, spacing, swapped fields, family-first in one field. */
function formatNames(given: string, family: string, nationality: NationalityNames, random: () => number) {
  const chance = (p: number) => random() < p;
  const style = (s: string) => {
    let out = s;
    if (chance(0.2)) out = out.toUpperCase();
    else if (chance(0.1)) out = out.toLowerCase();
    if (chance(0.2)) out = out.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (chance(0.15)) out = `  ${out.replace(/ /g, '  ')} `;
    return out;
  };
  const roll = random();
  if (roll < 0.1) return { givenNames: style(family), familyName: style(given) };
  if (roll < 0.15 || (nationality.familyFirst && roll < 0.3))
    return { givenNames: style(`${family} ${given}`) };
  return { givenNames: style(given), familyName: style(family) };
}

function formatDocument(number: string, random: () => number): string {
  const roll = random();
  if (roll < 0.2) return number.toLowerCase();
  if (roll < 0.4) return `${number.slice(0, 2)} ${number.slice(2, 5)} ${number.slice(5)}`;
  if (roll < 0.5) return `${number.slice(0, 2)}-${number.slice(2)}`;
  return number;
}
