import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { AuditEntry } from '@ketenpoort/audit';
import {
  aSignal,
  CapturedOutput,
  createTestDatabase,
  eventually,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
import { loadStackKeys } from '../../apps/cli/src/stack/stack-keys.js';
import {
  DEV_ISSUER,
  GATEWAY_ADMIN_AUDIENCE,
  startStack,
  type RunningStack,
} from '../../apps/cli/src/stack/stack.js';
import { sql, StackClient } from '../support/stack-client.js';

interface VersionRow {
  version: string;
  status: string;
  proposedBy: string;
  approvedBy: string | null;
  content?: string;
}

describe.each(testDatabaseKinds())('governance of what is released (%s)', (kind) => {
  let dataDir: string;
  let configDir: string;
  let stack: RunningStack;
  let client: StackClient;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  const gatewayLog = new CapturedOutput();

  const start = async () => {
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir,
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: gatewayLog }),
      registerLogger: new PinoLogger({ app: 'register', destination: new CapturedOutput() }),
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
    });
    client = new StackClient(stack, dataDir);
  };

  const activePolicy = async (): Promise<VersionRow> => {
    const token = await client.token('auditor', 'audrey');
    const list = (await client.admin('GET', '/v1/admin/policies', token)).json<VersionRow[]>();
    const active = list.find((row) => row.status === 'active')!;
    return (await client.admin('GET', `/v1/admin/policies/${active.version}`, token)).json<VersionRow>();
  };

  const registerRecord = async (recordId: string) =>
    (
      await sql<{
        record: {
          data: { subject: Record<string, unknown> };
          tokens: { value: string }[];
          policyVersion: string;
        };
      }>(registerDb.url, 'SELECT record FROM register_record WHERE record_id = $1', [recordId])
    )[0].record;

  const audit = async (): Promise<AuditEntry[]> =>
    (await sql<{ entry: string }>(gatewayDb.url, 'SELECT entry FROM audit_entry ORDER BY idx')).map(
      (r) => JSON.parse(r.entry) as AuditEntry,
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-gov-'));
    configDir = mkdtempSync(join(tmpdir(), 'kp-gov-config-'));
    cpSync(resolve('config'), configDir, { recursive: true });
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    await start();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  }, 60_000);

  it('bootstraps the shipped policy once in dev mode, and audits it', async () => {
    const active = await activePolicy();
    expect(active).toMatchObject({ status: 'active', proposedBy: 'bootstrap' });
    const bootstrap = (await audit()).filter((e) => e.event === 'governance.bootstrapped');
    expect(bootstrap.map((e) => e.policyVersion ?? e.partnersVersion)).toContain(active.version);
  });

  it('activates a new version only with a privacy officer who is not its author', async () => {
    const before = await activePolicy();
    const signalBefore = aSignal().withReportedAt('2019-01-01').build();
    expect((await client.send('politie-oost-brabant', signalBefore)).status).toBe(202);

    const content = before.content!.replace(
      '      subject.nationalities: forward\n',
      '      subject.nationalities: forward\n      subject.languages: forward\n',
    );
    expect(content).not.toBe(before.content);
    const integrator = await client.token('integrator', 'ines');
    const proposed = await client.admin('POST', '/v1/admin/policies', integrator, { content });
    expect(proposed.status).toBe(201);
    const { version } = proposed.json<{ version: string }>();

    expect((await client.admin('POST', `/v1/admin/policies/${version}/approve`, integrator)).status).toBe(
      403,
    );
    const authorAsOfficer = await client.token('privacy-officer', 'ines');
    const own = await client.admin('POST', `/v1/admin/policies/${version}/approve`, authorAsOfficer);
    expect(own.status).toBe(403);
    expect(own.json()).toMatchObject({ error: 'GOVERNANCE.FOUR_EYES' });
    expect((await activePolicy()).version).toBe(before.version);

    const officer = await client.token('privacy-officer', 'olga');
    const approved = await client.admin('POST', `/v1/admin/policies/${version}/approve`, officer);
    expect(approved.status).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'active', approvedBy: 'olga', proposedBy: 'ines' });

    const signalAfter = aSignal().withReportedAt('2019-01-02').build();
    expect((await client.send('politie-oost-brabant', signalAfter)).status).toBe(202);
    const first = await client.waitDelivered('politie-oost-brabant', signalBefore.signalId as string);
    const second = await client.waitDelivered('politie-oost-brabant', signalAfter.signalId as string);
    expect((await registerRecord(first.recordId)).data.subject.languages).toBeUndefined();
    expect((await registerRecord(second.recordId)).data.subject.languages).toEqual(['pl']);

    const entries = await audit();
    expect(
      entries.find((e) => e.event === 'governance.activated' && e.policyVersion === version),
    ).toMatchObject({
      actor: 'olga',
      reason: 'proposed by ines',
    });
    const decided = (signalId: unknown) =>
      entries.find((e) => e.event === 'signal.received' && e.signalId === signalId)?.policyVersion;
    expect(decided(signalBefore.signalId)).toBe(before.version);
    expect(decided(signalAfter.signalId)).toBe(version);
  });

  it('counts differences of a shadow version but enforces only the active one', async () => {
    const active = await activePolicy();
    const candidate = active.content!.replace(
      '      subject.nationalities: forward\n',
      '      subject.nationalities: drop\n',
    );
    const integrator = await client.token('integrator', 'ines');
    const { version } = (
      await client.admin('POST', '/v1/admin/policies', integrator, { content: candidate })
    ).json<{
      version: string;
    }>();
    const shadowed = await client.admin('POST', `/v1/admin/policies/${version}/shadow`, integrator);
    expect(shadowed.json()).toMatchObject({ status: 'shadow' });

    const signal = aSignal().withReportedAt('2019-02-02').build();
    const answer = await client.send('politie-oost-brabant', signal);
    expect(answer.status).toBe(202);
    const { correlationId } = answer.json<{ correlationId: string }>();
    const { recordId } = await client.waitDelivered('politie-oost-brabant', signal.signalId as string);
    expect((await registerRecord(recordId)).data.subject.nationalities).toEqual(['PL']);
    const line = gatewayLog
      .text()
      .split('\n')
      .find((l) => l.includes('shadow policy differs') && l.includes(correlationId));
    expect(JSON.parse(line!)).toMatchObject({ shadowVersion: version, fields: ['subject.nationalities'] });
    expect(line).not.toMatch(/Kowalska|EA1234567/);
    expect((await activePolicy()).version).toBe(active.version);
  });

  it('explains a sample with dry-run tokens, never production tokens', async () => {
    const signal = aSignal().withReportedAt('2019-03-03').build();
    expect((await client.send('politie-oost-brabant', signal)).status).toBe(202);
    const { recordId } = await client.waitDelivered('politie-oost-brabant', signal.signalId as string);
    const production = (await registerRecord(recordId)).tokens.map((t) => t.value);

    const integrator = await client.token('integrator', 'ines');
    const answer = await client.admin('POST', '/v1/policies/explain', integrator, {
      partnerId: 'politie-oost-brabant',
      signal,
    });
    expect(answer.status).toBe(200);
    const explained = answer.json<{
      keyDomain: string;
      fields: { field: string; outputs: { value: unknown }[] }[];
    }>();
    expect(explained.keyDomain).toBe('dry-run');
    const tokens = explained.fields
      .flatMap((f) => f.outputs.map((o) => o.value))
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .map((v) => (typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v))
      .filter((v): v is string => typeof v === 'string' && /^v\d+\./.test(v));
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(token).toMatch(/^v\d+\.dry-run\./);
      expect(production).not.toContain(token);
      expect(production.map((p) => p.split('.').pop())).not.toContain(token.split('.').pop());
    }
    expect(explained.fields.map((f) => f.field)).toContain('subject.familyName');
  });

  it('decides consent from the reporter type and age: youth care needs a guardian for a 15-year-old', async () => {
    const fifteen = aSignal()
      .withReportedAt('2020-06-01')
      .withSubject({ birthDate: '2005-01-01' })
      .withConsent({ status: 'given', by: 'subject' });
    expect(
      (await client.send('jeugdzorg-utrecht', fifteen.withSignalId(randomUUID()).build())).json(),
    ).toMatchObject({
      error: 'POLICY.GUARDIAN_CONSENT_REQUIRED',
    });
    const withGuardian = fifteen
      .withSignalId(randomUUID())
      .withConsent({ status: 'given', by: 'guardian' })
      .build();
    expect((await client.send('jeugdzorg-utrecht', withGuardian)).status).toBe(202);
    const police = aSignal().withSignalId(randomUUID()).withConsent({ status: 'unknown' }).build();
    expect((await client.send('politie-oost-brabant', police)).status).toBe(202);
  });

  it('shows a partner what the active version releases, on its own listener only', async () => {
    const answer = await client.partnerGet('politie-oost-brabant', '/v1/policy?purpose=registration');
    expect(answer.status).toBe(200);
    const body = answer.json<{
      reporterType: string;
      purposes: { id: string; legalGround: string; dropped: string[] }[];
    }>();
    expect(body.reporterType).toBe('police');
    expect(body.purposes).toHaveLength(1);
    expect(body.purposes[0].legalGround).toMatch(/Wpg art\. 18/);
    expect(body.purposes[0].dropped).toContain('situation.narrative');
    expect((await client.partnerGet('politie-oost-brabant', '/v1/admin/status')).status).toBe(404);
    const token = await client.token('auditor', 'audrey');
    expect((await client.admin('GET', '/v1/policy?purpose=registration', token)).status).toBe(404);
  });

  it('refuses wrong, missing, expired, mis-addressed and under-privileged tokens, and nothing changes', async () => {
    const active = await activePolicy();
    const content = active.content!.replace(
      '      exploitation.sector: forward\n',
      '      exploitation.sector: drop\n',
    );
    const { version } = (
      await client.admin('POST', '/v1/admin/policies', await client.token('integrator', 'ines'), { content })
    ).json<{ version: string }>();
    const approve = (token: string | null) =>
      client.admin('POST', `/v1/admin/policies/${version}/approve`, token);

    const keys = loadStackKeys(dataDir);
    const signWith = async (
      claims: Record<string, unknown>,
      exp: number | string,
      audience = GATEWAY_ADMIN_AUDIENCE,
    ) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: keys.devIssuer.kid })
        .setIssuer(DEV_ISSUER)
        .setAudience(audience)
        .setSubject('mallory')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(exp)
        .sign(await importJWK(keys.devIssuer, 'EdDSA'));
    const expired = await signWith({ roles: ['privacy-officer'] }, Math.floor(Date.now() / 1000) - 60);
    const otherAudience = await signWith({ roles: ['privacy-officer'] }, '1h', 'ketenpoort-register');
    const forged = (await client.token('privacy-officer', 'mallory')).replace(/\.[^.]+$/, '.AAAA');

    expect((await approve(null)).status).toBe(401);
    expect((await approve('not-a-token')).status).toBe(401);
    expect((await approve(expired)).status).toBe(401);
    expect((await approve(otherAudience)).status).toBe(401);
    expect((await approve(forged)).status).toBe(401);
    expect((await approve(await client.token('auditor', 'mallory'))).status).toBe(403);
    const scoped = await approve(
      await client.token('privacy-officer', 'sam', { partnerScope: ['opvang-amsterdam'] }),
    );
    expect(scoped.status).toBe(403);
    expect(scoped.json()).toMatchObject({ error: 'AUTH.SCOPE' });
    expect((await activePolicy()).version).toBe(active.version);
  });

  it('needs a scoped officer of the partner concerned to approve a partner change', async () => {
    const partners = (
      await client.admin('GET', '/v1/admin/partners', await client.token('auditor', 'audrey'))
    ).json<VersionRow[]>();
    const activeRow = partners.find((p) => p.status === 'active')!;
    const active = (
      await client.admin(
        'GET',
        `/v1/admin/partners/${activeRow.version}`,
        await client.token('auditor', 'audrey'),
      )
    ).json<VersionRow>();
    const document = JSON.parse(active.content!) as {
      partnersYaml: string;
      caCertificates: Record<string, string>;
    };
    const partnersYaml = document.partnersYaml.replace(
      'reporterType: shelter\n    purposes: [registration, advice]',
      'reporterType: shelter\n    purposes: [registration, shelter-placement, advice]',
    );
    expect(partnersYaml).not.toBe(document.partnersYaml);
    const proposal = await client.admin(
      'POST',
      '/v1/admin/partners',
      await client.token('integrator', 'ines'),
      {
        partnersYaml,
        caCertificates: document.caCertificates,
      },
    );
    expect(proposal.status).toBe(201);
    const { version } = proposal.json<{ version: string }>();

    const placement = () =>
      client.send(
        'opvang-amsterdam',
        aSignal().withSignalId(randomUUID()).withPurpose('shelter-placement').build(),
      );
    expect((await placement()).status).toBe(403);

    const wrongScope = await client.token('privacy-officer', 'kees', { partnerScope: ['kmar'] });
    expect((await client.admin('POST', `/v1/admin/partners/${version}/approve`, wrongScope)).status).toBe(
      403,
    );
    const rightScope = await client.token('privacy-officer', 'saskia', {
      partnerScope: ['opvang-amsterdam'],
    });
    expect((await client.admin('POST', `/v1/admin/partners/${version}/approve`, rightScope)).status).toBe(
      200,
    );
    await eventually(async () => ((await placement()).status === 202 ? true : undefined), 10_000);
  });

  describe('admin request bodies are validated at the edge', () => {
    /** A value that must never come back in an answer or reach the log. */
    const MARKER = 'Kowalska-EA1234567';

    const stored = async () => ({
      versions: Number(
        (await sql<{ n: string }>(gatewayDb.url, 'SELECT count(*) AS n FROM governed_version'))[0].n,
      ),
      proposals: (await audit()).filter((e) => e.event === 'governance.proposed').length,
    });

    /** A policy that differs from the active one (so that, were it accepted, a version would be stored). */
    const changedPolicy = async (field: string) => {
      const active = (await activePolicy()).content!;
      const content = active.replace(`      ${field}: forward\n`, `      ${field}: drop\n`);
      expect(content).not.toBe(active);
      return content;
    };

    /** Sends a refused body: 400, nothing stored, the values neither answered nor logged. */
    const refused = async (path: string, body: unknown, role = 'integrator') => {
      const before = await stored();
      const sub = role === 'integrator' ? 'ines' : 'olga';
      const answer = await client.admin('POST', path, await client.token(role, sub), body);
      expect(answer.status).toBe(400);
      expect(answer.text.toLowerCase()).not.toContain(MARKER.toLowerCase());
      expect(await stored()).toEqual(before);
      expect(gatewayLog.text()).not.toContain(MARKER);
      return answer.json<{
        error: string;
        message: string;
        details?: { path: string; reasons: string[] }[];
      }>();
    };

    it('refuses a proposal with an unknown property, naming it', async () => {
      const content = await changedPolicy('exploitation.policeUnit');
      const body = await refused('/v1/admin/policies', { content, subjectFamilyName: MARKER });
      expect(body).toEqual({
        error: 'REQUEST.INVALID',
        message: 'the request body does not match',
        details: [{ path: 'subjectFamilyName', reasons: ['is not an accepted field'] }],
      });
    });

    it('refuses a proposal whose field has the wrong type', async () => {
      const body = await refused('/v1/admin/policies', { content: { familyName: MARKER } });
      expect(body.error).toBe('REQUEST.INVALID');
      expect(body.details).toEqual([
        { path: 'content', reasons: expect.arrayContaining(['content must be a string']) },
      ]);
    });

    it('refuses a partner table whose CA certificates are not strings', async () => {
      const body = await refused('/v1/admin/partners', {
        partnersYaml: `cas: {}\npartners: []\n# ${MARKER}\n`,
        caCertificates: { 'example-ca': 42, [MARKER.toLowerCase()]: ['x'] },
      });
      expect(body.error).toBe('REQUEST.INVALID');
      expect(body.details).toEqual([
        { path: 'caCertificates', reasons: ['every value of caCertificates must be a string (PEM)'] },
      ]);
    });

    it('refuses a proposal without its document, naming the missing fields', async () => {
      expect(await refused('/v1/admin/policies', {})).toMatchObject({
        error: 'GOVERNANCE.INVALID_DOCUMENT',
        details: [{ path: 'content', reasons: ['is required'] }],
      });
      expect(await refused('/v1/admin/partners', { partnersYaml: `# ${MARKER}\n` })).toMatchObject({
        error: 'GOVERNANCE.INVALID_DOCUMENT',
        details: [{ path: 'caCertificates', reasons: ['is required'] }],
      });
    });

    it("refuses the other kind's fields instead of ignoring them", async () => {
      const content = await changedPolicy('exploitation.policeUnit');
      expect(await refused('/v1/admin/policies', { content, partnersYaml: `# ${MARKER}\n` })).toMatchObject({
        error: 'REQUEST.INVALID',
        details: [{ path: 'partnersYaml', reasons: ['is not a field of a policy proposal'] }],
      });
    });

    it('refuses a decision with an unknown field or a note that is not a string, and nothing changes', async () => {
      const active = await activePolicy();
      const content = await changedPolicy('exploitation.startedAt');
      const { version } = (
        await client.admin('POST', '/v1/admin/policies', await client.token('integrator', 'ines'), {
          content,
        })
      ).json<{ version: string }>();
      const approve = `/v1/admin/policies/${version}/approve`;
      expect(await refused(approve, { note: 'ok', reason: MARKER }, 'privacy-officer')).toMatchObject({
        error: 'REQUEST.INVALID',
        details: [{ path: 'reason', reasons: ['is not an accepted field'] }],
      });
      expect(await refused(approve, { note: [MARKER] }, 'privacy-officer')).toMatchObject({
        error: 'REQUEST.INVALID',
        details: [{ path: 'note', reasons: expect.arrayContaining(['note must be a string']) }],
      });
      expect(await refused(approve, { note: MARKER.repeat(40) }, 'privacy-officer')).toMatchObject({
        error: 'REQUEST.INVALID',
        details: [{ path: 'note', reasons: [expect.stringMatching(/shorter than or equal to 500/)] }],
      });
      expect((await activePolicy()).version).toBe(active.version);
      const row = (
        await client.admin('GET', `/v1/admin/policies/${version}`, await client.token('auditor', 'audrey'))
      ).json<VersionRow>();
      expect(row.status).toBe('draft');
      const rejected = await client.admin(
        'POST',
        `/v1/admin/policies/${version}/reject`,
        await client.token('privacy-officer', 'olga'),
        { note: 'not now' },
      );
      expect(rejected.json()).toMatchObject({ status: 'rejected' });
    });

    it('refuses an explain body with a missing or unknown field, naming them', async () => {
      const signal = aSignal().withSubject({ familyName: MARKER }).build();
      expect(await refused('/v1/policies/explain', { signal })).toMatchObject({
        error: 'REQUEST.INVALID',
        details: [{ path: 'partnerId', reasons: [expect.stringMatching(/^partnerId must match/)] }],
      });
      expect(
        await refused('/v1/policies/explain', { partnerId: 'politie-oost-brabant', signal, extra: MARKER }),
      ).toMatchObject({
        error: 'REQUEST.INVALID',
        details: [{ path: 'extra', reasons: ['is not an accepted field'] }],
      });
    });
  });

  it('does not enforce an edited file after a restart until the change is approved', async () => {
    const enforced = (await activePolicy()).version;
    const policyFile = join(configDir, 'policies', 'register.yaml');
    writeFileSync(
      policyFile,
      readFileSync(policyFile, 'utf8').replace(
        'situation.narrative: drop',
        'situation.narrative: drop # edited',
      ),
    );
    writeFileSync(
      policyFile,
      readFileSync(policyFile, 'utf8').replace(
        '      exploitation.countries: forward\n',
        '      exploitation.countries: drop\n',
      ),
    );
    const partnersFile = join(configDir, 'partners.yaml');
    writeFileSync(
      partnersFile,
      readFileSync(partnersFile, 'utf8').replace(
        'purposes: [registration, advice]\n  - id: zorg',
        'purposes: [advice]\n  - id: zorg',
      ),
    );
    await stack.close();
    await start();

    expect((await activePolicy()).version).toBe(enforced);
    const drafts = (
      await client.admin('GET', '/v1/admin/policies', await client.token('auditor', 'audrey'))
    ).json<VersionRow[]>();
    expect(drafts.find((d) => d.proposedBy.startsWith('file:') && d.status === 'draft')).toBeDefined();
    const signal = aSignal().withSignalId(randomUUID()).withReportedAt('2019-04-04').build();
    expect((await client.send('arbeidsinspectie', signal)).status).toBe(202);
    const { recordId } = await client.waitDelivered('arbeidsinspectie', signal.signalId as string);
    expect((await registerRecord(recordId)).data).toMatchObject({ exploitation: { countries: ['NL'] } });
  });
});
