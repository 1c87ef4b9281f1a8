/**
 * Labels carry partner ids, purposes, outcome codes and schema field paths only. Anything else (a value
 * that could have come from a sender) is replaced, so that a scrape can never echo submitted text.
 */
const SAFE_LABEL = /^[A-Za-z0-9][A-Za-z0-9._:[\]*/-]{0,79}$/;

export function safeLabelValue(value: string): string {
  return SAFE_LABEL.test(value) ? value : 'other';
}
