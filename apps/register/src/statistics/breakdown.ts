import { EXPLOITATION_FORMS, REPORTER_TYPES, SEXES } from '@ketenpoort/signal-contract';

/** The ways a year's persons can be broken down (issue 5 §3). */
export const BREAKDOWNS = [
  'reporter-type',
  'exploitation-form',
  'sex',
  'age-group',
  'nationality',
  'police-unit',
  'dossier-type',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Age groups of a person in a year; `adult-uncertain` holds merged adult bands such as `18+`. */
export const AGE_GROUPS = ['minor', 'minor-uncertain', '18-22', '23+', 'adult-uncertain', 'unknown'] as const;
export const DOSSIER_TYPES = ['registration', 'registration-and-shelter', 'information-and-advice'] as const;

/** Category of persons whose value is missing from every record of the year. */
export const UNKNOWN = 'unknown';
/** Open breakdowns fold values held by fewer persons than the threshold into this category. */
export const OTHER = 'other';

/** The facts of one record the breakdowns read (no token, no identifier). */
export interface YearRecord {
  personId: string;
  recordId: string;
  reporterType: string;
  reportedAt: string;
  sexualExploitationOnly: boolean;
  dossierType: string;
  /** The released data of the record (`data` of the RegisterRecord). */
  data: Record<string, unknown>;
}

export interface BreakdownDefinition {
  /** A person can fall in several categories (cells then add up to more than the total). */
  multiValued: boolean;
  /**
   * Fixed categories, always listed (zeros included). `null`: open — the categories are the values seen in
   * the year, and only values held by at least the threshold are named; the rest fold into `other`.
   */
  categories: readonly string[] | null;
  /** The person's categories, from their records of the year (never empty). */
  categoriesOf(records: readonly YearRecord[]): string[];
}

const DEFINITE_AGE_GROUPS = new Set(['minor', '18-22', '23+']);

const asObject = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const subjectOf = (record: YearRecord) => asObject(record.data.subject);
const exploitationOf = (record: YearRecord) => asObject(record.data.exploitation);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];

function distinctOrUnknown(values: Iterable<string>, known?: readonly string[]): string[] {
  const set = new Set<string>();
  for (const value of values) set.add(known && !known.includes(value) ? OTHER : value);
  if (set.size === 0) return [UNKNOWN];
  return [...set].sort();
}

/** Records ordered by report instant (date-only values as midnight UTC), then record id: deterministic. */
function chronological(records: readonly YearRecord[]): YearRecord[] {
  const instant = (r: YearRecord) => {
    const ms = Date.parse(
      /^\d{4}-\d{2}-\d{2}$/.test(r.reportedAt) ? `${r.reportedAt}T00:00:00Z` : r.reportedAt,
    );
    return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
  };
  return [...records].sort((a, b) => instant(a) - instant(b) || a.recordId.localeCompare(b.recordId));
}

/**
 * The age group of a record's `ageBandAtReport`: the policy's bands `minor`, `18-22`, `23+` and
 * `minor-uncertain` as they are; any other adult band (a merged band like `18+` from a year-only birth
 * date straddling 23) is `adult-uncertain`; no band is `unknown`.
 *
 * @example ageGroupOfBand('18+') // 'adult-uncertain'
 */
export function ageGroupOfBand(band: unknown): string {
  if (typeof band !== 'string' || band.length === 0) return UNKNOWN;
  if (band === 'minor' || band === '18-22' || band === '23+' || band === 'minor-uncertain') return band;
  return /^\d+(\+|-\d+)$/.test(band) ? 'adult-uncertain' : UNKNOWN;
}

/**
 * A person's age group in a year: the band at their earliest report of the year that has a definite band
 * (minor, 18-22, 23+) — the age "at first report", so a birthday later in the year does not move them;
 * without a definite band, `minor-uncertain` when any report says so (minors are never hidden among
 * adults), else `adult-uncertain` when any report has a merged adult band, else `unknown`.
 */
export function ageGroupOf(records: readonly YearRecord[]): string {
  const groups = chronological(records).map((r) => ageGroupOfBand(subjectOf(r).ageBandAtReport));
  const definite = groups.find((g) => DEFINITE_AGE_GROUPS.has(g));
  if (definite) return definite;
  if (groups.includes('minor-uncertain')) return 'minor-uncertain';
  if (groups.includes('adult-uncertain')) return 'adult-uncertain';
  return UNKNOWN;
}

/**
 * A person's sex in a year: the one known sex (female, male, other) of their records; `unknown` when no
 * record knows it or when records disagree (a conflict is not resolved by guessing).
 */
export function sexOf(records: readonly YearRecord[]): string {
  const known = new Set(
    records
      .map((r) => subjectOf(r).sex)
      .filter((s): s is string => typeof s === 'string' && (SEXES as readonly string[]).includes(s))
      .filter((s) => s !== UNKNOWN),
  );
  return known.size === 1 ? [...known][0] : UNKNOWN;
}

export const BREAKDOWN_DEFINITIONS: Record<Breakdown, BreakdownDefinition> = {
  'reporter-type': {
    multiValued: true,
    categories: REPORTER_TYPES,
    categoriesOf: (records) =>
      distinctOrUnknown(
        records.map((r) => r.reporterType),
        REPORTER_TYPES,
      ),
  },
  'exploitation-form': {
    multiValued: true,
    categories: EXPLOITATION_FORMS,
    categoriesOf: (records) =>
      distinctOrUnknown(
        records.flatMap((r) => strings(exploitationOf(r).forms)),
        EXPLOITATION_FORMS,
      ),
  },
  sex: { multiValued: false, categories: SEXES, categoriesOf: (records) => [sexOf(records)] },
  'age-group': {
    multiValued: false,
    categories: AGE_GROUPS,
    categoriesOf: (records) => [ageGroupOf(records)],
  },
  nationality: {
    multiValued: true,
    categories: null,
    categoriesOf: (records) => distinctOrUnknown(records.flatMap((r) => strings(subjectOf(r).nationalities))),
  },
  'police-unit': {
    multiValued: true,
    categories: null,
    categoriesOf: (records) =>
      distinctOrUnknown(
        records.flatMap((r) => {
          const unit = exploitationOf(r).policeUnit;
          return typeof unit === 'string' && unit.length > 0 ? [unit] : [];
        }),
      ),
  },
  'dossier-type': {
    multiValued: true,
    categories: [...DOSSIER_TYPES, OTHER],
    categoriesOf: (records) =>
      distinctOrUnknown(
        records.map((r) => r.dossierType),
        DOSSIER_TYPES,
      ),
  },
};
