import { parsePartialDate } from '@ketenpoort/signal-contract';
import { PolicyError } from './policy.error.js';

/** A calendar date as numbers. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const compare = (a: CalendarDate, b: CalendarDate): number =>
  a.year - b.year || a.month - b.month || a.day - b.day;

/**
 * The calendar date of a report: the date itself, or for a date-time the date in Europe/Amsterdam.
 *
 * @example reportDate('2020-12-31T23:30:00Z') // { year: 2021, month: 1, day: 1 }
 */
export function reportDate(reportedAt: string): CalendarDate {
  const plain = parsePartialDate(reportedAt);
  if (plain?.precision === 'day') return { year: plain.year, month: plain.month!, day: plain.day! };
  const instant = /^\d{4}-\d{2}-\d{2}T/.test(reportedAt) ? new Date(reportedAt) : new Date(NaN);
  if (Number.isNaN(instant.getTime())) {
    throw new PolicyError('POLICY.TRANSFORM_FAILED', 'reportedAt is not a date or date-time', 'reportedAt');
  }
  const [year, month, day] = AMSTERDAM.format(instant).split('-').map(Number);
  return { year, month, day };
}

function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const beforeBirthday = on.month < birth.month || (on.month === birth.month && on.day < birth.day);
  return on.year - birth.year - (beforeBirthday ? 1 : 0);
}

/**
 * Age in whole years at the report date, as the range a partial birth date allows: `1999` may be any day of
 * 1999, `1999-04` any day of April. Days after the report date are not possible birthdays. A birth date after
 * the report date, or an unreadable date, throws `POLICY.TRANSFORM_FAILED` (naming the field, not the value).
 *
 * @example ageAtReport('2002', '2020-06-01') // { min: 17, max: 18 }
 */
export function ageAtReport(birthDate: string, reportedAt: string): { min: number; max: number } {
  const birth = parsePartialDate(birthDate);
  if (!birth) {
    throw new PolicyError('POLICY.TRANSFORM_FAILED', 'subject.birthDate is not a date', 'subject.birthDate');
  }
  const report = reportDate(reportedAt);
  const earliest: CalendarDate = { year: birth.year, month: birth.month ?? 1, day: birth.day ?? 1 };
  let latest: CalendarDate = {
    year: birth.year,
    month: birth.month ?? 12,
    day: birth.day ?? daysInMonth(birth.year, birth.month ?? 12),
  };
  if (compare(earliest, report) > 0) {
    throw new PolicyError(
      'POLICY.TRANSFORM_FAILED',
      'subject.birthDate lies after the report date',
      'subject.birthDate',
    );
  }
  if (compare(latest, report) > 0) latest = report;
  return { min: ageOn(latest, report), max: ageOn(earliest, report) };
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** True for an ISO 8601 duration of whole years, months, weeks and days with at least one part (`P10Y`, `P18M`). */
export function isRetention(value: string): boolean {
  return value !== 'P' && DURATION.test(value);
}

/**
 * Adds an ISO 8601 date duration to a calendar date; a day past the end of the month is clamped
 * (2020-02-29 + P1Y → 2021-02-28).
 *
 * @example addRetention({ year: 2020, month: 3, day: 14 }, 'P10Y') // '2030-03-14'
 */
export function addRetention(date: CalendarDate, duration: string): string {
  const match = DURATION.exec(duration);
  if (!match || duration === 'P') {
    throw new PolicyError(
      'POLICY.TRANSFORM_FAILED',
      'retention is not an ISO 8601 date duration',
      'retention',
    );
  }
  const [years, months, weeks, days] = match.slice(1).map((part) => Number(part ?? 0));
  const monthIndex = date.month - 1 + months;
  const year = date.year + years + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const day = Math.min(date.day, daysInMonth(year, month));
  const end = new Date(Date.UTC(year, month - 1, day + weeks * 7 + days));
  return end.toISOString().slice(0, 10);
}

/**
 * The age band of an age range for ascending band edges whose first edge is 18:
 * [18, 23] gives 'minor', '18-22', '23+'. A range straddling 18 gives 'minor-uncertain'; a range straddling a
 * higher edge gives the merged band ('18+' for 20..24 with edges [18, 23]).
 *
 * @example ageBand({ min: 19, max: 19 }, [18, 23]) // '18-22'
 */
export function ageBand(age: { min: number; max: number }, edges: readonly number[]): string {
  if (age.max < edges[0]) return 'minor';
  if (age.min < edges[0]) return 'minor-uncertain';
  const bandStart = (years: number) => edges.filter((edge) => edge <= years).at(-1)!;
  const from = bandStart(age.min);
  const nextEdge = edges.find((edge) => edge > age.max);
  return nextEdge === undefined ? `${from}+` : `${from}-${nextEdge - 1}`;
}
