import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import pg from 'pg';
import { verifyAuditExport, type AuditEntry } from '@ketenpoort/audit';
import { issueCertificate, readDevCa } from '@ketenpoort/pki';
import { normaliseDocumentNumber, normaliseName } from '@ketenpoort/pseudonymisation';
import {
  aSignal,
  SignalBuilder,
  CapturedOutput,
  createTestDatabase,
  decodeForScan,
  dumpDatabase,
  eventually,
  findCanaries,
  httpsRequest,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { issueDevToken } from '../../apps/cli/src/token/token.command.js';
import { exportWhenCosigned } from '../support/audit-export.js';

const CONFIG_DIR = resolve('config');

const logLines = (output: CapturedOutput): Record<string, unknown>[] =>
  output
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.each(testDatabaseKinds())('trunk: a signal from partner to register (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  const gatewayLog = new CapturedOutput();
  const registerLog = new CapturedOutput();
  let ca: string;

  const partnerCredentials = (partnerId: string) => ({
    cert: readFileSync(stack.pki.partners[partnerId].cert, 'utf8'),
    key: readFileSync(stack.pki.partners[partnerId].key, 'utf8'),
  });

  const send = (partnerId: string, body: unknown, opts: { contentType?: string; raw?: string } = {}) =>
    httpsRequest(`${stack.gateway.partnerUrl}/v1/signals`, {
      method: 'POST',
      body: opts.raw ?? JSON.stringify(body),
      headers: { 'content-type': opts.contentType ?? 'application/json' },
      ca,
      ...partnerCredentials(partnerId),
    });

  const status = (partnerId: string, signalId: string) =>
    httpsRequest(`${stack.gateway.partnerUrl}/v1/signals/${signalId}`, {
      ca,
      ...partnerCredentials(partnerId),
    });

  const waitDelivered = (partnerId: string, signalId: string) =>
    eventually(async () => {
      const answer = await status(partnerId, signalId);
      return answer.json<{ status: string }>().status === 'delivered'
        ? answer.json<{ recordId: string }>()
        : undefined;
    });

  const query = async <T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  const auditEntries = async (): Promise<{ idx: number; entry: AuditEntry }[]> =>
    (
      await query<{ idx: string; entry: string }>(
        gatewayDb.url,
        'SELECT idx, entry FROM audit_entry ORDER BY idx',
      )
    ).map((r) => ({ idx: Number(r.idx), entry: JSON.parse(r.entry) as AuditEntry }));

  const statistics = async (year: number, rule: string) => {
    const token = await issueDevToken(dataDir, { role: 'analyst', sub: 'test-analyst' });
    const answer = await httpsRequest(`${stack.register.apiUrl}/v1/statistics?year=${year}&rule=${rule}`, {
      ca,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    return answer.json<{ persons: number }>().persons;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-trunk-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: CONFIG_DIR,
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: gatewayLog, levels: 'verbose' }),
      registerLogger: new PinoLogger({ app: 'register', destination: registerLog, levels: 'verbose' }),
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
    });
    ca = readFileSync(stack.pki.caCert, 'utf8');
  }, 120_000);

  afterAll(async () => {
    if (process.env.KP_TEST_LOG_DIR) {
      writeFileSync(join(process.env.KP_TEST_LOG_DIR, `trunk-${kind}-gateway.log`), gatewayLog.text());
      writeFileSync(join(process.env.KP_TEST_LOG_DIR, `trunk-${kind}-register.log`), registerLog.text());
    }
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('delivers a police signal: the register holds tokens, birth year, nationality and exploitation block', async () => {
    const signal = aSignal().withReportedAt('2018-06-01').build();
    const answer = await send('politie-oost-brabant', signal);
    expect(answer.status).toBe(202);
    const receipt = answer.json<{ recordId: string; fields: { field: string; action: string }[] }>();
    expect(receipt.fields).toEqual(
      expect.arrayContaining([
        { field: 'subject.familyName', action: 'pseudonymised', outputs: expect.any(Array) },
        expect.objectContaining({ field: 'subject.nationalities', action: 'forwarded' }),
        expect.objectContaining({ field: 'subject.birthDate', action: 'generalised' }),
        expect.objectContaining({ field: 'situation.narrative', action: 'dropped' }),
      ]),
    );

    const { recordId } = await waitDelivered('politie-oost-brabant', signal.signalId as string);
    expect(recordId).toBe(receipt.recordId);
    const [record] = await query<{
      record: { tokens: { kind: string }[]; data: Record<string, Record<string, unknown>> };
    }>(registerDb.url, 'SELECT record FROM register_record WHERE record_id = $1', [recordId]);
    expect(record.record.tokens.map((t) => t.kind)).toEqual(expect.arrayContaining(['case', 'doc', 'nds']));
    expect(record.record.data.subject).toMatchObject({
      birthYear: 1999,
      nationalities: ['PL'],
      sex: 'female',
    });
    expect(record.record.data.exploitation).toMatchObject({ forms: ['labour'], sector: 'agriculture' });
  });

  it('writes no direct identifier or free text anywhere: gateway database, register database, logs', async () => {
    const canary = {
      given: 'Zofiakanarie Łucja',
      family: 'Wiśniewskakanarie',
      birthDate: '1987-11-23',
      document: 'ZX 98-76 543',
      phone: '+48 699 123 457',
      street: 'Kanariestraat 77',
      officer: 'Officier Kanarievogel',
      email: 'kanarie.officier@politie.example',
      narrative: 'Kanarieverhaal over een boerderij',
      health: 'Kanariegezondheid notitie',
      caseRef: 'POL-KANARIE-424242',
    };
    const signal = aSignal()
      .withReportedAt('2017-05-05')
      .withSubject({
        givenNames: canary.given,
        familyName: canary.family,
        birthDate: canary.birthDate,
        documents: [{ type: 'passport', country: 'PL', number: canary.document }],
        phone: canary.phone,
        address: { street: canary.street, postcode: '5211 AB', municipality: 'GM0796' },
      })
      .withExploitation({ sector: 'kanarie-released-sector' })
      .withSituation({ narrative: canary.narrative, healthNotes: canary.health })
      .withCase({ reference: canary.caseRef, officer: { name: canary.officer, email: canary.email } })
      .build();
    const answer = await send('politie-oost-brabant', signal);
    expect(answer.status).toBe(202);
    const { correlationId } = answer.json<{ correlationId: string }>();
    await waitDelivered('politie-oost-brabant', signal.signalId as string);

    const needles = [
      ...Object.values(canary),
      ...normaliseName(canary.given),
      ...normaliseName(canary.family),
      canary.birthDate.replace(/-/g, ''),
      normaliseDocumentNumber(canary.document),
      canary.document.replace(/[^A-Z0-9]/gi, ''),
      canary.phone.replace(/\D/g, ''),
    ];
    const places = {
      'gateway database': decodeForScan(await dumpDatabase(gatewayDb.url)),
      'register database': decodeForScan(await dumpDatabase(registerDb.url)),
      'gateway log': decodeForScan(gatewayLog.text()),
      'register log': decodeForScan(registerLog.text()),
    };
    for (const [place, text] of Object.entries(places)) {
      // The same search finds the correlation id in every place, so an empty or unreadable place cannot pass.
      expect({ place, found: findCanaries(text, [correlationId]) }).toEqual({
        place,
        found: [correlationId],
      });
      expect({ place, found: findCanaries(text, needles) }).toEqual({ place, found: [] });
    }
    expect(findCanaries(places['register database'], ['kanarie-released-sector'])).toEqual([
      'kanarie-released-sector',
    ]);

    // One access line for the request under its correlation id: ids, codes and numbers only — no header,
    // no body, no path as sent.
    expect(
      logLines(gatewayLog).filter((l) => l.msg === 'request' && l.correlationId === correlationId),
    ).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        app: 'gateway',
        context: 'Access',
        msg: 'request',
        correlationId,
        listener: 'partner',
        method: 'POST',
        route: '/v1/signals',
        status: 202,
        durationMs: expect.any(Number),
        partnerId: 'politie-oost-brabant',
      },
    ]);
    // The register logs the delivery that carried the record (alone or in a batch) under the delivery's id.
    const stored = logLines(registerLog).find(
      (l) => l.msg === 'record stored' && l.correlationId === correlationId,
    );
    expect(stored).toBeDefined();
    const deliveryId = (stored!.batchCorrelationId ?? correlationId) as string;
    const delivery = await eventually(async () =>
      logLines(registerLog).find((l) => l.msg === 'request' && l.correlationId === deliveryId),
    );
    expect(delivery).toEqual({
      level: 'info',
      time: expect.any(String),
      app: 'register',
      context: 'Access',
      msg: 'request',
      correlationId: deliveryId,
      listener: 'intake',
      method: 'POST',
      route: stored!.batchCorrelationId ? '/v1/records/batch' : '/v1/records',
      status: stored!.batchCorrelationId ? 200 : 201,
      durationMs: expect.any(Number),
      client: 'gateway',
    });
  });

  it('refuses a TLS handshake without a client certificate', async () => {
    await expect(
      httpsRequest(`${stack.gateway.partnerUrl}/v1/signals`, { method: 'POST', body: '{}', ca }),
    ).rejects.toThrow(/ECONNRESET|certificate required|socket hang up|alert/i);
  });

  it('refuses a client certificate from another CA', async () => {
    const { createDevCa } = await import('@ketenpoort/pki');
    const otherCa = createDevCa({ commonName: 'Other CA' });
    const stranger = issueCertificate(otherCa, {
      kind: 'client',
      commonName: 'politie-oost-brabant',
      organisationIdentifier: '00000001003214345000',
    });
    await expect(
      httpsRequest(`${stack.gateway.partnerUrl}/v1/signals`, {
        method: 'POST',
        body: '{}',
        ca,
        cert: stranger.certPem,
        key: stranger.keyPem,
      }),
    ).rejects.toThrow(/ECONNRESET|certificate|socket hang up|alert/i);
  });

  it('answers 403 to a certificate of the trusted CA that belongs to no partner, and audits it', async () => {
    const unknown = issueCertificate(readDevCa(dataDir), {
      kind: 'client',
      commonName: 'nobody',
      organisationIdentifier: '00000009999999999999',
    });
    const answer = await httpsRequest(`${stack.gateway.partnerUrl}/v1/signals`, {
      method: 'POST',
      body: JSON.stringify(aSignal().build()),
      headers: { 'content-type': 'application/json' },
      ca,
      cert: unknown.certPem,
      key: unknown.keyPem,
    });
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ error: 'PARTNER.UNKNOWN' });
    const entries = await auditEntries();
    expect(
      entries.some((e) => e.entry.event === 'partner.refused' && e.entry.reason === 'PARTNER.UNKNOWN'),
    ).toBe(true);
  });

  it('answers 403 to a purpose the partner may not use, and the refusal is in the audit log', async () => {
    const signal = aSignal().withPurpose('shelter-placement').build();
    const answer = await send('arbeidsinspectie', signal);
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ error: 'POLICY.PURPOSE_NOT_ALLOWED' });
    const refusal = (await auditEntries()).find((e) => e.entry.signalId === signal.signalId);
    expect(refusal?.entry).toMatchObject({
      event: 'signal.refused',
      partnerId: 'arbeidsinspectie',
      reason: 'POLICY.PURPOSE_NOT_ALLOWED',
      certificateFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('refuses a care coordinator without consent for registration, even when the body says not-required', async () => {
    const signal = aSignal().withConsent({ status: 'not-required' }).build();
    const answer = await send('zorgcoordinator-brabant', signal);
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ error: 'POLICY.CONSENT_REQUIRED' });
    const police = await send(
      'politie-oost-brabant',
      aSignal().withConsent({ status: 'not-required' }).withReportedAt('2016-01-01').build(),
    );
    expect(police.status).toBe(202);
  });

  it('returns the original receipt for the same body and 409 for other content under the same id', async () => {
    const signal = aSignal().withReportedAt('2015-02-02').build();
    const first = await send('politie-oost-brabant', signal);
    expect(first.status).toBe(202);
    const again = await send('politie-oost-brabant', JSON.parse(JSON.stringify(signal)));
    expect(again.status).toBe(200);
    expect(again.json()).toEqual(first.json());
    const changed = new SignalBuilder(signal).withSubject({ familyName: 'Nowak' }).build();
    const conflict = await send('politie-oost-brabant', changed);
    expect(conflict.status).toBe(409);
    expect(conflict.text).not.toContain('Nowak');
  });

  it('tells the owner the status and answers 404 to another partner', async () => {
    const signal = aSignal().withReportedAt('2015-03-03').build();
    expect((await send('politie-oost-brabant', signal)).status).toBe(202);
    const own = await status('politie-oost-brabant', signal.signalId as string);
    expect(own.status).toBe(200);
    expect(['accepted', 'delivering', 'delivered']).toContain(own.json<{ status: string }>().status);
    const other = await status('kmar', signal.signalId as string);
    expect(other.status).toBe(404);
  });

  it('counts the same person reported by two partners once, and two people sharing a passport as two', async () => {
    const year = 2020;
    const before = await statistics(year, 'register');
    const base = aSignal().withReportedAt('2020-04-01').withConsent({ status: 'given', by: 'subject' });
    const police = base
      .withSignalId(randomUUID())
      .withSubject({
        givenNames: 'Łukasz Piotr',
        familyName: 'Wiśniewski',
        birthDate: '1990-02-03',
        sex: 'male',
        documents: [{ type: 'passport', country: 'PL', number: 'EB1234567' }],
      })
      .build();
    const careCoordinator = base
      .withSignalId(randomUUID())
      .withSubject({
        givenNames: 'WISNIEWSKI',
        familyName: 'lukasz  piotr',
        birthDate: '1990-02-03',
        sex: 'male',
        documents: [{ type: 'passport', country: 'PL', number: 'EB 123 4567' }],
      })
      .build();
    const sharedPassport = (name: string, birthDate: string) =>
      base
        .withSignalId(randomUUID())
        .withSubject({
          givenNames: name,
          familyName: 'Okafor',
          birthDate,
          sex: 'female',
          documents: [{ type: 'passport', country: 'NG', number: 'A00112233' }],
        })
        .build();
    const first = sharedPassport('Blessing', '1995-05-05');
    const second = sharedPassport('Joy', '1999-09-09');
    const sent = [
      ['politie-oost-brabant', police],
      ['zorgcoordinator-brabant', careCoordinator],
      ['politie-oost-brabant', first],
      ['opvang-amsterdam', second],
    ] as const;
    for (const [partner, signal] of sent) expect((await send(partner, signal)).status).toBe(202);
    for (const [partner, signal] of sent) await waitDelivered(partner, signal.signalId as string);
    expect(await statistics(year, 'register')).toBe(before + 3);
  });

  it('applies the Rapporteur rule: a person reported only by KMar for sexual exploitation only is left out', async () => {
    const year = 2021;
    const kmarOnly = aSignal()
      .withReportedAt('2021-05-01')
      .withSubject({
        givenNames: 'Ama',
        familyName: 'Mensah',
        birthDate: '2000-01-02',
        sex: 'female',
        documents: [],
      })
      .withExploitation({ forms: ['sexual'] })
      .build();
    const kmarAndLabour = aSignal()
      .withReportedAt('2021-05-02')
      .withSubject({
        givenNames: 'Efua',
        familyName: 'Owusu',
        birthDate: '2000-03-04',
        sex: 'female',
        documents: [],
      })
      .withExploitation({ forms: ['sexual', 'labour'] })
      .build();
    for (const signal of [kmarOnly, kmarAndLabour]) {
      expect((await send('kmar', signal)).status).toBe(202);
      await waitDelivered('kmar', signal.signalId as string);
    }
    const register = await statistics(year, 'register');
    const rapporteur = await statistics(year, 'rapporteur');
    expect(register - rapporteur).toBe(1);
  });

  it('answers 400 with field paths to malformed bodies, and stores nothing', async () => {
    const countRows = async () =>
      (
        await query<{ n: string }>(
          gatewayDb.url,
          'SELECT (SELECT count(*) FROM signal) + (SELECT count(*) FROM audit_entry) AS n',
        )
      )[0].n;
    const before = await countRows();
    const valid = aSignal();
    const cases: { body?: unknown; raw?: string; contentType?: string; status: number; path?: string }[] = [
      { body: valid.with('subject.birthDate', 19990412).build(), status: 400, path: 'subject.birthDate' },
      { body: valid.with('subject.nickname', 'Kanarie-Nick').build(), status: 400, path: 'subject.nickname' },
      { body: valid.with('reportedAt', '2020-02-30').build(), status: 400, path: 'reportedAt' },
      { body: valid.with('subject.sex', 'f').build(), status: 400, path: 'subject.sex' },
      { body: valid.with('signalId', 'not-a-uuid').build(), status: 400, path: 'signalId' },
      {
        body: valid.with('exploitation.forms', ['slavery']).build(),
        status: 400,
        path: 'exploitation.forms',
      },
      { body: [valid.build()], status: 400 },
      { raw: '{"signalId": "Kanarie-Raw', status: 400 },
      { raw: JSON.stringify(valid.build()), contentType: 'text/plain', status: 415 },
      { raw: JSON.stringify(valid.with('situation.narrative', 'x'.repeat(300_000)).build()), status: 413 },
    ];
    for (const c of cases) {
      const answer = await send('politie-oost-brabant', c.body, { raw: c.raw, contentType: c.contentType });
      expect({ status: answer.status, body: answer.text.length > 0 }).toEqual({
        status: c.status,
        body: true,
      });
      expect(answer.text).not.toMatch(/kanarie|19990412/i);
      if (c.path)
        expect(answer.json<{ details: { path: string }[] }>().details.map((d) => d.path)).toContain(c.path);
    }
    expect(await countRows()).toBe(before);
  });

  it('keeps a signal while the register is down and delivers it once when it is back, with a verified receipt', async () => {
    await stack.stopRegister();
    const signal = aSignal().withReportedAt('2014-07-07').build();
    expect((await send('politie-oost-brabant', signal)).status).toBe(202);
    await eventually(async () => {
      const answer = await status('politie-oost-brabant', signal.signalId as string);
      return answer.json<{ status: string; deliveryAttempts: number }>().deliveryAttempts >= 2
        ? true
        : undefined;
    });
    expect((await status('politie-oost-brabant', signal.signalId as string)).json()).toMatchObject({
      status: 'delivering',
    });
    await stack.startRegister();
    const { recordId } = await waitDelivered('politie-oost-brabant', signal.signalId as string);

    const rows = await query(registerDb.url, 'SELECT 1 FROM register_record WHERE record_id = $1', [
      recordId,
    ]);
    expect(rows).toHaveLength(1);
    const delivered = (await auditEntries()).filter(
      (e) => e.entry.event === 'signal.delivered' && e.entry.recordId === recordId,
    );
    expect(delivered).toHaveLength(1);
    const receipt = delivered[0].entry.registerReceipt!;
    const { payload } = await jwtVerify(receipt.jws, createLocalJWKSet(stack.keys.registerJwks), {
      issuer: 'ketenpoort-register',
      audience: 'ketenpoort-gateway',
    });
    expect(payload).toMatchObject({ recordId, payloadDigest: delivered[0].entry.payloadDigest });
  }, 60_000);

  it('keeps a Merkle audit log that an officer verifies offline from an export', async () => {
    const entries = await auditEntries();
    expect(entries.map((e) => e.idx)).toEqual(entries.map((_, i) => i));
    expect(entries.filter((e) => e.entry.event === 'signal.received').length).toBeGreaterThan(5);
    const dir = join(dataDir, 'audit-export');
    await exportWhenCosigned(stack, dataDir, dir, entries.length);
    const report = await verifyAuditExport(dir);
    expect(report).toMatchObject({ ok: true, size: entries.length, redacted: [] });
  });

  it('refuses to change or delete audit entries', async () => {
    await expect(query(gatewayDb.url, 'DELETE FROM audit_entry WHERE idx = 0')).rejects.toThrow(
      /append-only/,
    );
    await expect(query(gatewayDb.url, "UPDATE audit_entry SET entry = '{}' WHERE idx = 0")).rejects.toThrow(
      /append-only/,
    );
  });

  it('gives each correlation id back and accepts a caller-chosen one', async () => {
    const correlationId = randomUUID();
    const answer = await httpsRequest(`${stack.gateway.partnerUrl}/v1/signals`, {
      method: 'POST',
      body: JSON.stringify(aSignal().withReportedAt('2013-01-01').build()),
      headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
      ca,
      ...partnerCredentials('kmar'),
    });
    expect(answer.status).toBe(202);
    expect(answer.headers['x-correlation-id']).toBe(correlationId);
    expect(answer.json()).toMatchObject({ correlationId });
  });
});
