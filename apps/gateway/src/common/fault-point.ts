/**
 * Test-only fault injection: when `KETENPOORT_FAULT_POINT` names this point (and, if set,
 * `KETENPOORT_FAULT_AFTER` hits have passed), the process kills itself with SIGKILL — no cleanup, no
 * flush — so that crash tests can prove what survives. Inert unless the variable is set; the variable is
 * refused outside dev mode at start (see assertGatewayConfig).
 *
 * @example faultPoint('intake.before-commit')
 */
export function faultPoint(name: string): void {
  const wanted = process.env.KETENPOORT_FAULT_POINT;
  if (!wanted || wanted !== name) return;
  const after = Number(process.env.KETENPOORT_FAULT_AFTER ?? 0);
  hits.set(name, (hits.get(name) ?? 0) + 1);
  if ((hits.get(name) ?? 0) > after) process.kill(process.pid, 'SIGKILL');
}

const hits = new Map<string, number>();

/** Named points, so tests and code agree on the spelling. */
export const FAULT_POINTS = [
  'intake.after-validation',
  'intake.after-pseudonymisation',
  'intake.before-commit',
  'intake.after-commit',
  'audit.before-index-assignment',
  'audit.after-index-assignment',
  'outbox.mid-delivery',
] as const;
