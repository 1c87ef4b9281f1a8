export type CheckStatus = 'OK' | 'WARN' | 'FAIL';

/** One finding of `ketenpoort doctor`: what was checked, how it stands, and what to do about it. */
export interface DoctorFinding {
  area: 'certificates' | 'keys' | 'key-ring' | 'config' | 'database' | 'register' | 'gateway';
  subject: string;
  status: CheckStatus;
  detail: string;
  /** What to do; present on WARN and FAIL. */
  fix?: string;
}

export const ok = (area: DoctorFinding['area'], subject: string, detail: string): DoctorFinding => ({
  area,
  subject,
  status: 'OK',
  detail,
});

export const warn = (
  area: DoctorFinding['area'],
  subject: string,
  detail: string,
  fix: string,
): DoctorFinding => ({
  area,
  subject,
  status: 'WARN',
  detail,
  fix,
});

export const fail = (
  area: DoctorFinding['area'],
  subject: string,
  detail: string,
  fix: string,
): DoctorFinding => ({
  area,
  subject,
  status: 'FAIL',
  detail,
  fix,
});

/** Renders findings one per line, the fix indented under a WARN or FAIL. */
export function formatFindings(findings: DoctorFinding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.status.padEnd(4)}  ${f.area.padEnd(12)} ${f.subject}: ${f.detail}`);
    if (f.fix) lines.push(`      fix: ${f.fix}`);
  }
  const count = (s: CheckStatus) => findings.filter((f) => f.status === s).length;
  lines.push(`${count('OK')} ok, ${count('WARN')} warnings, ${count('FAIL')} failures`);
  return lines.join('\n');
}
