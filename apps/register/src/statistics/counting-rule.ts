/** The register counts unique persons; the Rapporteur leaves out persons seen only in KMar sexual-only reports. */
export const COUNTING_RULES = ['register', 'rapporteur'] as const;
export type CountingRule = (typeof COUNTING_RULES)[number];

/** The facts of one report the counting rules look at. */
export interface CountedReport {
  reporterType: string;
  sexualExploitationOnly: boolean;
}

/** True when the report lists sexual exploitation as its only form. */
export function isSexualExploitationOnly(forms: readonly unknown[] | undefined): boolean {
  return Array.isArray(forms) && forms.length > 0 && forms.every((form) => form === 'sexual');
}

/**
 * Whether a person with these reports in a year counts in that year. Under `rapporteur` a person is left
 * out when every report comes from KMar and lists sexual exploitation only (DOMAIN.md); the SQL of the
 * statistics query implements the same rule over the stored columns.
 */
export function personCounts(rule: CountingRule, reportsInYear: readonly CountedReport[]): boolean {
  if (reportsInYear.length === 0) return false;
  if (rule === 'register') return true;
  return !reportsInYear.every((r) => r.reporterType === 'kmar' && r.sexualExploitationOnly);
}
