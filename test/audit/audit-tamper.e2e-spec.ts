import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { AUDIT_EXPORT_FILES, verifyAuditExport, type AuditEntry } from '@ketenpoort/audit';
import {
  aSignal,
  CapturedOutput,
  createTestDatabase,
  eventually,
  httpsRequest,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { issueDevToken } from '../../apps/cli/src/token/token.command.js';
import { exportWhenCosigned } from '../support/audit-export.js';
import { sql, StackClient } from '../support/stack-client.js';

type Row = Record<string, unknown>;

/**
 * Tampering as the database superuser — the append-only trigger disabled — is caught by the offline
 * verifier, which names the first bad index. Every case starts from the same restored log.
 */
describe.each(testDatabaseKinds())('audit log tampered in the database (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  let entries: Row[];
  let openings: Row[];
  let size: number;
  let exports = 0;

  /** Runs statements as the superuser with the append-only trigger off, in one transaction. */
  const asSuperuser = async (work: (client: pg.Client) => Promise<void>) => {
    const client = new pg.Client({ connectionString: gatewayDb.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_change');
      await work(client);
      await client.query('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_change');
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  };

  const restore = () =>
    asSuperuser(async (client) => {
      await client.query('DELETE FROM audit_subject_opening');
      await client.query('DELETE FROM audit_entry');
      for (const r of entries) {
        await client.query(
          `INSERT INTO audit_entry (idx, leaf_hash, entry, event, at, partner_id, purpose, signal_id, policy_version, reason, actor)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            r.idx,
            r.leaf_hash,
            r.entry,
            r.event,
            r.at,
            r.partner_id,
            r.purpose,
            r.signal_id,
            r.policy_version,
            r.reason,
            r.actor,
          ],
        );
      }
      for (const o of openings) {
        await client.query(
          'INSERT INTO audit_subject_opening (idx, position, token, salt) VALUES ($1, $2, $3, $4)',
          [o.idx, o.position, o.token, o.salt],
        );
      }
    });

  /**
   * Exports the log as the gateway serves it, byte for byte (the CLI exporter would already refuse a gap,
   * see the deletion case), then verifies it offline.
   */
  const exportAndVerify = async () => {
    const dir = join(dataDir, `export-${exports++}`);
    mkdirSync(dir);
    const token = await issueDevToken(dataDir, { role: 'auditor', sub: 'tamper-test' });
    const get = async (path: string) => {
      const answer = await httpsRequest(`${stack.gateway.adminUrl}/v1/admin/audit/${path}`, {
        ca: readFileSync(stack.pki.caCert, 'utf8'),
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(200);
      return answer;
    };
    const checkpoints = await eventually(async () => {
      const all = (await get('export/checkpoints')).json<{ checkpoint: string; cosignatures: string[] }[]>();
      const cosigned = all.filter((c) => c.cosignatures.length > 0);
      const newest = cosigned.at(-1)?.checkpoint.split('.')[1];
      const covered = newest
        ? (JSON.parse(Buffer.from(newest, 'base64url').toString()) as { size: number }).size
        : 0;
      return covered >= size ? cosigned : undefined;
    }, 30_000);
    writeFileSync(join(dir, AUDIT_EXPORT_FILES.keys), (await get('keys')).text);
    writeFileSync(
      join(dir, AUDIT_EXPORT_FILES.checkpoints),
      checkpoints.map((c) => JSON.stringify(c) + '\n').join(''),
    );
    writeFileSync(join(dir, AUDIT_EXPORT_FILES.entries), (await get('export/entries')).text);
    return verifyAuditExport(dir);
  };

  /** An index in the middle of the log whose entry has the given event and no subject openings. */
  const middle = (event: AuditEntry['event'], after = 0) =>
    entries
      .map((r) => ({ idx: Number(r.idx), entry: JSON.parse(r.entry as string) as AuditEntry }))
      .find((r) => r.idx > after && r.entry.event === event && !r.entry.subjectCommitments)!.idx;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-audit-tamper-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: new CapturedOutput() }),
      registerLogger: new PinoLogger({ app: 'register', destination: new CapturedOutput() }),
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
      checkpointIntervalMs: 200,
    });
    const client = new StackClient(stack, dataDir);
    for (const partnerId of [
      'politie-oost-brabant',
      'kmar',
      'arbeidsinspectie',
      'kmar',
      'politie-oost-brabant',
    ]) {
      const signal = aSignal().build();
      expect((await client.send(partnerId, signal)).status).toBe(202);
      await client.waitDelivered(partnerId, signal.signalId as string);
    }
    entries = await sql<Row>(gatewayDb.url, 'SELECT * FROM audit_entry ORDER BY idx');
    openings = await sql<Row>(gatewayDb.url, 'SELECT * FROM audit_subject_opening ORDER BY idx, position');
    size = entries.length;
  }, 400_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('verifies the log as written', async () => {
    expect(await exportAndVerify()).toMatchObject({ ok: true, size });
  });

  it('names an entry whose text was edited', async () => {
    const k = middle('signal.delivered', size / 3);
    await restore();
    await asSuperuser(async (c) => {
      await c.query(
        `UPDATE audit_entry SET entry = replace(entry, 'signal.delivered', 'signal.dead-lettered') WHERE idx = $1`,
        [k],
      );
    });
    expect(await exportAndVerify()).toMatchObject({
      ok: false,
      firstBadIndex: k,
      problem: { code: 'AUDIT.LEAF_HASH_MISMATCH' },
    });
  });

  it('names a deleted entry', async () => {
    const k = middle('signal.forwarded', size / 3);
    await restore();
    await asSuperuser(async (c) => {
      await c.query('DELETE FROM audit_entry WHERE idx = $1', [k]);
    });
    // The CLI exporter already refuses to write a log with a gap; the served lines, verified, name it.
    await expect(exportWhenCosigned(stack, dataDir, join(dataDir, 'export-cli-gap'), size)).rejects.toThrow(
      `export expected index ${k}`,
    );
    expect(await exportAndVerify()).toMatchObject({
      ok: false,
      firstBadIndex: k,
      problem: { code: 'AUDIT.INDEX_GAP' },
    });
  });

  it('names the first of two swapped entries', async () => {
    const i = middle('signal.forwarded', size / 3);
    const j = middle('signal.delivered', i);
    await restore();
    await asSuperuser(async (c) => {
      await c.query(
        `UPDATE audit_entry e SET entry = o.entry, event = o.event, at = o.at
           FROM audit_entry o WHERE (e.idx, o.idx) IN (($1, $2), ($2, $1))`,
        [i, j],
      );
    });
    expect(await exportAndVerify()).toMatchObject({
      ok: false,
      firstBadIndex: i,
      problem: { code: 'AUDIT.LEAF_HASH_MISMATCH' },
    });
  });

  it('catches two entries swapped together with their stored leaf hashes, from the last good checkpoint on', async () => {
    const i = middle('signal.forwarded', size / 3);
    const j = middle('signal.delivered', i);
    await restore();
    await asSuperuser(async (c) => {
      await c.query(
        `UPDATE audit_entry e SET entry = o.entry, leaf_hash = o.leaf_hash, event = o.event, at = o.at
           FROM audit_entry o WHERE (e.idx, o.idx) IN (($1, $2), ($2, $1))`,
        [i, j],
      );
    });
    const report = await exportAndVerify();
    expect({ ok: report.ok, before: report.firstBadIndex! <= i, code: report.problem?.code }).toEqual({
      ok: false,
      before: true,
      code: 'AUDIT.ROOT_MISMATCH',
    });
  });

  it('names the first missing index when the tail is truncated', async () => {
    const t = size - 3;
    await restore();
    await asSuperuser(async (c) => {
      await c.query('DELETE FROM audit_subject_opening WHERE idx >= $1', [t]);
      await c.query('DELETE FROM audit_entry WHERE idx >= $1', [t]);
    });
    expect(await exportAndVerify()).toMatchObject({
      ok: false,
      firstBadIndex: t,
      problem: { code: 'AUDIT.ENTRIES_MISSING' },
    });
  });

  it('verifies again once restored (the cases above did not break the fixture)', async () => {
    await restore();
    expect(await exportAndVerify()).toMatchObject({ ok: true, size });
  });
});
