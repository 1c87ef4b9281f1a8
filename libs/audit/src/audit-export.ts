import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { AuditError } from './audit.error.js';
import {
  AUDIT_EXPORT_FILES,
  formatEntryLine,
  type AuditKeys,
  type ExportedCheckpoint,
  type ExportedEntry,
} from './audit-export.format.js';

/** What an export is written from: entries in index order, checkpoints oldest first, and the public keys. */
export interface AuditExportSource {
  entries: AsyncIterable<ExportedEntry> | Iterable<ExportedEntry>;
  checkpoints: AsyncIterable<ExportedCheckpoint> | Iterable<ExportedCheckpoint>;
  keys: AuditKeys;
}

const FLUSH_AT = 1 << 20;

async function writeLines<T>(
  path: string,
  items: AsyncIterable<T> | Iterable<T>,
  format: (item: T) => string,
): Promise<number> {
  const out: WriteStream = createWriteStream(path, { flags: 'wx', mode: 0o640 });
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => undefined);
  let pending = '';
  let count = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending;
    pending = '';
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  for await (const item of items) {
    pending += format(item) + '\n';
    count += 1;
    if (pending.length >= FLUSH_AT) await flush();
  }
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return count;
}

/**
 * Writes an export directory (entries.jsonl, checkpoints.jsonl, keys.json) from async iterables, in
 * constant memory; refuses to overwrite existing files. Returns how many entries and checkpoints it wrote.
 *
 * @example await writeAuditExport('/tmp/audit-2025-06', { entries: repo.streamEntries(), checkpoints, keys })
 */
export async function writeAuditExport(
  dir: string,
  source: AuditExportSource,
): Promise<{ entries: number; checkpoints: number }> {
  mkdirSync(dir, { recursive: true });
  let expected = 0;
  const entries = await writeLines(join(dir, AUDIT_EXPORT_FILES.entries), source.entries, (e) => {
    if (e.index !== expected) {
      throw new AuditError('AUDIT.EXPORT_ORDER', `export expected index ${expected}, got ${e.index}`);
    }
    expected += 1;
    return formatEntryLine(e);
  });
  const checkpoints = await writeLines(join(dir, AUDIT_EXPORT_FILES.checkpoints), source.checkpoints, (c) =>
    JSON.stringify({ checkpoint: c.checkpoint, cosignatures: c.cosignatures }),
  );
  writeFileSync(join(dir, AUDIT_EXPORT_FILES.keys), JSON.stringify(source.keys, null, 2) + '\n', {
    flag: 'wx',
  });
  return { entries, checkpoints };
}
