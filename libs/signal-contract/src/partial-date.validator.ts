import { registerDecorator, ValidationOptions } from 'class-validator';

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export type DatePrecision = 'year' | 'month' | 'day';

/** Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into its parts; null when it is no real calendar date. */
export function parsePartialDate(
  value: string,
): { year: number; month?: number; day?: number; precision: DatePrecision } | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1900 || year > 2200) return null;
  if (match[2] === undefined) return { year, precision: 'year' };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  if (match[3] === undefined) return { year, month, precision: 'month' };
  const day = Number(match[3]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  return { year, month, day, precision: 'day' };
}

/** True for an ISO date (`YYYY-MM-DD`) or an ISO date-time with an offset, that exists in the calendar. */
export function isIsoDateOrDateTime(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 40) return false;
  const date = parsePartialDate(value);
  if (date) return date.precision === 'day';
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const day = parsePartialDate(`${match[1]}-${match[2]}-${match[3]}`);
  const [hours, minutes, seconds] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  return day !== null && hours < 24 && minutes < 60 && seconds < 60 && !Number.isNaN(Date.parse(value));
}

function decorator(name: string, message: string, test: (value: unknown) => boolean) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName.toString(),
        options: { message: `$property ${message}`, ...options },
        validator: { validate: test },
      });
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export const IsPartialDate = decorator(
  'isPartialDate',
  'must be a date as YYYY, YYYY-MM or YYYY-MM-DD',
  (value) => typeof value === 'string' && parsePartialDate(value) !== null,
);

/** `YYYY-MM-DD` or an ISO 8601 date-time with offset. */
export const IsIsoDateOrDateTime = decorator(
  'isIsoDateOrDateTime',
  'must be an ISO date (YYYY-MM-DD) or date-time with offset',
  isIsoDateOrDateTime,
);

/** `YYYY-MM-DD` only. */
export const IsFullDate = decorator(
  'isFullDate',
  'must be a date as YYYY-MM-DD',
  (value) => typeof value === 'string' && parsePartialDate(value)?.precision === 'day',
);
