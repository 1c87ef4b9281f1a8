import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AuditEntry } from '@ketenpoort/audit';
import {
  aSignal,
  createTestDatabase,
  eventually,
  httpsRequest,
  type SignalBuilder,
  type TestDatabase,
  type TestDatabaseKind,
} from '@ketenpoort/testing';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { sql, StackClient } from '../support/stack-client.js';
import { ndjson, sendBatch, type BatchAnswer } from '../bulk/batch-client.js';

/** Letters only, so that names stay valid names; unique per call. */
const letters = () => [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

/** A signal about a person nobody else reports (unique names, document and case), reported in `year`. */
export function aPersonSignal(
  year: number,
  person = { given: letters(), family: letters(), doc: letters() },
): SignalBuilder {
  return aSignal()
    .withReportedAt(`${year}-05-01`)
    .withSubject({
      givenNames: `Ti${person.given}`,
      familyName: `Te${person.family}`,
      birthDate: '1990-03-07',
      documents: [{ type: 'passport', country: 'PL', number: `X${person.doc.toUpperCase()}` }],
    })
    .withCase({ reference: `T-${randomUUID().slice(0, 8)}` });
}

export const newPerson = () => ({ given: letters(), family: letters(), doc: letters() });

/** One stack on fresh test databases, with helpers the life-cycle tests share. */
export class LifecycleFixture {
  stack!: RunningStack;
  client!: StackClient;
  gatewayDb!: TestDatabase;
  registerDb!: TestDatabase;
  dataDir!: string;

  constructor(
    private readonly kind: TestDatabaseKind,
    private readonly configDir = resolve('config'),
  ) {}

  async start(): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), 'kp-lifecycle-'));
    [this.gatewayDb, this.registerDb] = await Promise.all([
      createTestDatabase(this.kind),
      createTestDatabase(this.kind),
    ]);
    this.stack = await startStack({
      mode: 'dev',
      dataDir: this.dataDir,
      configDir: this.configDir,
      gatewayDatabaseUrl: this.gatewayDb.url,
      registerDatabaseUrl: this.registerDb.url,
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500, requestTimeoutMs: 3000 },
    });
    this.client = new StackClient(this.stack, this.dataDir);
  }

  async stop(): Promise<void> {
    await this.stack?.close();
    await Promise.all([this.gatewayDb?.drop(), this.registerDb?.drop()]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Sends and waits until the register holds the record. */
  async deliver(partnerId: string, signal: Record<string, unknown>): Promise<string> {
    const answer = await this.client.send(partnerId, signal);
    if (answer.status !== 202) throw new Error(`signal refused: ${answer.status} ${answer.text}`);
    return (await this.client.waitDelivered(partnerId, signal.signalId as string)).recordId;
  }

  partner(method: string, partnerId: string, path: string, body?: unknown) {
    const pki = this.stack.pki.partners[partnerId];
    const text = body !== undefined ? JSON.stringify(body) : undefined;
    return httpsRequest(`${this.stack.gateway.partnerUrl}${path}`, {
      method,
      ca: this.client.ca,
      cert: readFileSync(pki.cert, 'utf8'),
      key: readFileSync(pki.key, 'utf8'),
      // Node sends a DELETE body unframed unless its length is given.
      headers:
        text !== undefined
          ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }
          : {},
      body: text,
    });
  }

  /** Sends the signals as one `POST /v1/signals/batch` and collects the receipt lines. */
  batch(partnerId: string, signals: Array<Record<string, unknown>>): Promise<BatchAnswer> {
    const pki = this.stack.pki.partners[partnerId];
    return sendBatch(
      this.stack.gateway.partnerUrl,
      { ca: this.client.ca, cert: readFileSync(pki.cert, 'utf8'), key: readFileSync(pki.key, 'utf8') },
      ndjson(signals),
    );
  }

  registerHolds(recordId: string): Promise<boolean> {
    return sql<{ n: string }>(
      this.registerDb.url,
      'SELECT count(*) AS n FROM register_record WHERE record_id = $1',
      [recordId],
    ).then(([r]) => Number(r.n) === 1);
  }

  personOf(recordId: string): Promise<string | null> {
    return sql<{ person_id: string }>(
      this.registerDb.url,
      'SELECT person_id FROM register_person_record WHERE record_id = $1',
      [recordId],
    ).then((rows) => rows[0]?.person_id ?? null);
  }

  async persons(year: number, rule = 'register'): Promise<number> {
    const token = await this.client.token('analyst', 'test-analyst');
    const answer = await httpsRequest(
      `${this.stack.register.apiUrl}/v1/statistics?year=${year}&rule=${rule}`,
      {
        ca: this.client.ca,
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (answer.status !== 200) throw new Error(`statistics: ${answer.status}`);
    return answer.json<{ persons: number }>().persons;
  }

  async analyst(method: string, path: string) {
    const token = await this.client.token('analyst', 'test-analyst');
    return httpsRequest(`${this.stack.register.apiUrl}${path}`, {
      method,
      ca: this.client.ca,
      headers: { authorization: `Bearer ${token}` },
    });
  }

  async auditEntries(filter: (e: AuditEntry) => boolean): Promise<{ idx: number; entry: AuditEntry }[]> {
    const rows = await sql<{ idx: string; entry: string }>(
      this.gatewayDb.url,
      'SELECT idx, entry FROM audit_entry ORDER BY idx',
    );
    return rows
      .map((r) => ({ idx: Number(r.idx), entry: JSON.parse(r.entry) as AuditEntry }))
      .filter((r) => filter(r.entry));
  }

  waitForAudit(filter: (e: AuditEntry) => boolean) {
    return eventually(async () => {
      const found = await this.auditEntries(filter);
      return found.length ? found : undefined;
    });
  }
}
