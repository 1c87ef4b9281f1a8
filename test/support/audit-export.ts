import { readFileSync } from 'node:fs';
import { eventually, httpsRequest } from '@ketenpoort/testing';
import { exportAuditLog } from '../../apps/cli/src/audit/audit-export.js';
import type { RunningStack } from '../../apps/cli/src/stack/stack.js';
import { issueDevToken } from '../../apps/cli/src/token/token.command.js';

/** Waits until a cosigned checkpoint covers at least `size` entries, then exports the log to `dir`. */
export async function exportWhenCosigned(stack: RunningStack, dataDir: string, dir: string, size: number) {
  const token = await issueDevToken(dataDir, { role: 'auditor', sub: 'test-auditor' });
  const ca = readFileSync(stack.pki.caCert, 'utf8');
  await eventually(async () => {
    const answer = await httpsRequest(`${stack.gateway.adminUrl}/v1/admin/audit/checkpoints/latest`, {
      ca,
      headers: { authorization: `Bearer ${token}` },
    });
    if (answer.status !== 200) return undefined;
    const latest = answer.json<{ size: number; cosignatures: string[] }>();
    return latest.size >= size && latest.cosignatures.length > 0 ? true : undefined;
  }, 30_000);
  return exportAuditLog({ adminUrl: stack.gateway.adminUrl, token, ca }, dir);
}
