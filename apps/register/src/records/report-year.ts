const DATE_ONLY = /^(\d{4})-\d{2}-\d{2}$/;
const AMSTERDAM_YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric' });

/**
 * The calendar year of `reportedAt` in Europe/Amsterdam (DOMAIN.md): a date counts as itself, a
 * date-time with offset is converted to the Amsterdam date first.
 */
export function reportYearInAmsterdam(reportedAt: string): number {
  const date = DATE_ONLY.exec(reportedAt);
  if (date) return Number(date[1]);
  const instant = new Date(reportedAt);
  if (Number.isNaN(instant.getTime())) throw new RangeError('reportedAt is not an ISO date or date-time');
  return Number(AMSTERDAM_YEAR.format(instant));
}
