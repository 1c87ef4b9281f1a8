import { request } from 'node:https';
import { createInterface } from 'node:readline';
import type { IncomingMessage } from 'node:http';
import {
  writeAuditExport,
  type AuditKeys,
  type ExportedCheckpoint,
  type ExportedEntry,
} from '@ketenpoort/audit';

export interface GatewayAdminAccess {
  adminUrl: string;
  token: string;
  ca: string;
}

function get(access: GatewayAdminAccess, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, access.adminUrl), {
      ca: access.ca,
      headers: { authorization: `Bearer ${access.token}` },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`the gateway answered ${res.statusCode} to ${path}`));
      } else resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

async function getJson<T>(access: GatewayAdminAccess, path: string): Promise<T> {
  const res = await get(access, path);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

async function* entryLines(access: GatewayAdminAccess, onEntry?: () => void): AsyncGenerator<ExportedEntry> {
  const res = await get(access, '/v1/admin/audit/export/entries');
  for await (const line of createInterface({ input: res, crlfDelay: Infinity })) {
    if (!line) continue;
    onEntry?.();
    yield JSON.parse(line) as ExportedEntry;
  }
}

/**
 * `ketenpoort audit export`: writes the log as plain files (entries.jsonl, checkpoints.jsonl, keys.json)
 * for offline `audit verify`. Streams the entries (constant memory); keeps only cosigned checkpoints, since
 * an officer trusts a checkpoint only with its witness's cosignature.
 *
 * @example await exportAuditLog({ adminUrl, token, ca }, './audit-2026-11')
 */
export async function exportAuditLog(
  access: GatewayAdminAccess,
  out: string,
  progress?: { setTotal(total: number): void; increment(): void },
): Promise<{ entries: number; checkpoints: number }> {
  const keys = await getJson<AuditKeys>(access, '/v1/admin/audit/keys');
  const onEntry = progress ? () => progress.increment() : undefined;
  const checkpoints = (
    await getJson<ExportedCheckpoint[]>(access, '/v1/admin/audit/export/checkpoints')
  ).filter((c) => c.cosignatures.length > 0);
  const newest = checkpoints.at(-1)?.checkpoint.split('.')[1];
  if (progress && newest)
    progress.setTotal(
      (JSON.parse(Buffer.from(newest, 'base64url').toString('utf8')) as { size: number }).size,
    );
  return writeAuditExport(out, { keys, checkpoints, entries: entryLines(access, onEntry) });
}

/**
 * Waits until the gateway's newest cosigned checkpoint covers at least `size` entries (or `timeoutMs`
 * passed), then exports the log to `out` as `exportAuditLog` does. For a log still being written: an
 * export is only worth verifying once a witness has cosigned what it holds.
 *
 * @example await exportWhenCosigned({ adminUrl, token, ca }, './audit', 60_000)
 */
export async function exportWhenCosigned(
  access: GatewayAdminAccess,
  out: string,
  size: number,
  timeoutMs = 30_000,
): Promise<{ entries: number; checkpoints: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const latest = await getJson<{ size: number; cosignatures: string[] }>(
      access,
      '/v1/admin/audit/checkpoints/latest',
    ).catch(() => undefined);
    if (latest && latest.size >= size && latest.cosignatures.length > 0) break;
    if (Date.now() > deadline)
      throw new Error(`no cosigned checkpoint covers ${size} entries after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return exportAuditLog(access, out);
}
