import { readFileSync } from 'node:fs';
import { exportWhenCosigned as exportCosigned } from '../../apps/cli/src/audit/audit-export.js';
import type { RunningStack } from '../../apps/cli/src/stack/stack.js';
import { issueDevToken } from '../../apps/cli/src/token/token.command.js';

/** Waits until a cosigned checkpoint covers at least `size` entries, then exports the log to `dir`. */
export async function exportWhenCosigned(stack: RunningStack, dataDir: string, dir: string, size: number) {
  const token = await issueDevToken(dataDir, { role: 'auditor', sub: 'test-auditor' });
  const ca = readFileSync(stack.pki.caCert, 'utf8');
  return exportCosigned({ adminUrl: stack.gateway.adminUrl, token, ca }, dir, size, 30_000);
}
