import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  leafHash,
  verifyAuditExport,
  verifyCheckpoint,
  verifyCosignature,
  verifyInclusion,
  type AuditEntry,
  type AuditKeys,
} from '@ketenpoort/audit';
import { normaliseDocumentNumber, normaliseName } from '@ketenpoort/pseudonymisation';
import {
  aSignal,
  CapturedOutput,
  createTestDatabase,
  decodeForScan,
  eventually,
  findCanaries,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { exportWhenCosigned } from '../support/audit-export.js';
import { sql, StackClient } from '../support/stack-client.js';

interface Reviewed {
  idx: number;
  leafHash: string;
  entry: AuditEntry;
}
interface Page {
  entries: Reviewed[];
  nextCursor: string | null;
}

const CANARY = {
  given: 'Zofiakanarie Łucja',
  family: 'Wiśniewskakanarie',
  birthDate: '1987-11-23',
  document: 'ZX 98-76 543',
  otherDocument: 'KM 5544 3322',
  phone: '+48 699 123 457',
  street: 'Kanariestraat 77',
  officer: 'Officier Kanarievogel',
  narrative: 'Kanarieverhaal over een boerderij',
  health: 'Kanariegezondheid notitie',
  caseRef: 'POL-KANARIE-424242',
};

describe.each(testDatabaseKinds())('audit review, proofs and subject lookup (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack;
  let client: StackClient;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  const gatewayLog = new CapturedOutput();
  const sent: Record<'police' | 'kmar' | 'other', { signalId: string; correlationId: string; leaf: string }> =
    {} as never;
  let policyVersion: string;

  const canarySubject = (document: string) => ({
    givenNames: CANARY.given,
    familyName: CANARY.family,
    birthDate: CANARY.birthDate,
    sex: 'female',
    documents: [{ type: 'passport', country: 'PL', number: document }],
    phone: CANARY.phone,
    address: { street: CANARY.street, postcode: '5211 AB', municipality: 'GM0796' },
  });

  const submit = async (partnerId: string, signal: Record<string, unknown>) => {
    const answer = await client.send(partnerId, signal);
    expect(answer.status).toBe(202);
    const receipt = answer.json<{ correlationId: string; auditLeafHash: string; policyVersion: string }>();
    await client.waitDelivered(partnerId, signal.signalId as string);
    policyVersion = receipt.policyVersion;
    return {
      signalId: signal.signalId as string,
      correlationId: receipt.correlationId,
      leaf: receipt.auditLeafHash,
    };
  };

  const search = async (query: string, token: string): Promise<Page> => {
    const answer = await client.admin('GET', `/v1/admin/audit/entries?${query}`, token);
    expect({ status: answer.status, body: answer.status === 200 ? null : answer.text }).toEqual({
      status: 200,
      body: null,
    });
    return answer.json<Page>();
  };

  const lookup = (token: string, body: unknown) =>
    client.admin('POST', '/v1/admin/audit/subject-lookup', token, body);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-audit-review-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: gatewayLog, levels: 'verbose' }),
      registerLogger: new PinoLogger({ app: 'register', destination: new CapturedOutput() }),
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
      checkpointIntervalMs: 200,
    });
    client = new StackClient(stack, dataDir);
    const withCanaryText = (document: string) =>
      aSignal()
        .withSubject(canarySubject(document))
        .withSituation({ narrative: CANARY.narrative, healthNotes: CANARY.health })
        .withCase({ reference: CANARY.caseRef, officer: { name: CANARY.officer } })
        .build();
    sent.police = await submit('politie-oost-brabant', withCanaryText(CANARY.document));
    sent.kmar = await submit('kmar', withCanaryText(CANARY.otherDocument));
    sent.other = await submit('arbeidsinspectie', aSignal().build());
    const refused = await client.send('arbeidsinspectie', aSignal().withPurpose('shelter-placement').build());
    expect(refused.status).toBe(403);
  }, 400_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  describe('partner proofs', () => {
    it('lets a partner verify the inclusion of its own signal against a cosigned checkpoint', async () => {
      const keys = (
        await client.admin('GET', '/v1/admin/audit/keys', await client.token('auditor', 'a'))
      ).json<AuditKeys>();
      const status = (await client.status('kmar', sent.kmar.signalId)).json<{ auditIndex: number }>();
      const proof = await eventually(async () => {
        const answer = await client.partnerGet('kmar', `/v1/signals/${sent.kmar.signalId}/proof`);
        return answer.status === 200
          ? answer.json<{
              index: number;
              size: number;
              checkpoint: string;
              cosignatures: string[];
              proof: string[];
            }>()
          : undefined;
      });
      const { checkpoint } = await verifyCheckpoint(proof.checkpoint, keys.signers);
      await verifyCosignature(proof.cosignatures[0], checkpoint, keys.witnesses);
      const ok = verifyInclusion(
        Buffer.from(sent.kmar.leaf, 'base64'),
        status.auditIndex,
        checkpoint.size,
        proof.proof.map((h) => Buffer.from(h, 'base64')),
        Buffer.from(checkpoint.rootHash, 'base64'),
      );
      expect({ ok, index: proof.index }).toEqual({ ok: true, index: status.auditIndex });
    });

    it('answers 404 to a partner asking for the proof of another partner’s signal', async () => {
      const answer = await client.partnerGet(
        'politie-oost-brabant',
        `/v1/signals/${sent.kmar.signalId}/proof`,
      );
      expect(answer.status).toBe(404);
    });
  });

  describe('search', () => {
    it('finds the whole story of a signal by its id: received, forwarded, delivered', async () => {
      const page = await search(`signalId=${sent.police.signalId}`, await client.token('auditor', 'a'));
      expect(page.entries.map((e) => e.entry.event)).toEqual([
        'signal.received',
        'signal.forwarded',
        'signal.delivered',
      ]);
    });

    it('filters by partner, attributing delivery entries through their record', async () => {
      const page = await search('partner=kmar', await client.token('auditor', 'a'));
      expect(page.entries.map((e) => e.entry.event).sort()).toEqual([
        'signal.delivered',
        'signal.forwarded',
        'signal.received',
      ]);
    });

    it('filters by decision (event), purpose and policy version together', async () => {
      const page = await search(
        `event=signal.received&purpose=registration&policyVersion=${policyVersion}`,
        await client.token('privacy-officer', 'o'),
      );
      expect(page.entries.map((e) => e.entry.signalId).sort()).toEqual(
        [sent.police.signalId, sent.kmar.signalId, sent.other.signalId].sort(),
      );
    });

    it('filters by time range', async () => {
      const token = await client.token('auditor', 'a');
      expect((await search('to=2001-01-01', token)).entries).toEqual([]);
      expect(
        (await search(`from=${new Date(Date.now() - 3_600_000).toISOString()}`, token)).entries.length,
      ).toBe((await search('limit=1000', token)).entries.length);
    });

    it('pages with an opaque cursor through every entry exactly once, in index order', async () => {
      const token = await client.token('auditor', 'a');
      const all = (await search('limit=1000', token)).entries.map((e) => e.idx);
      const paged: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await search(`limit=2${cursor ? `&cursor=${cursor}` : ''}`, token);
        paged.push(...page.entries.map((e) => e.idx));
        cursor = page.nextCursor;
      } while (cursor);
      expect({ paged, count: all.length > 6 }).toEqual({ paged: all, count: true });
    });

    it('answers 400 to a forged cursor, an unknown event and an unknown parameter', async () => {
      const token = await client.token('auditor', 'a');
      const statuses = await Promise.all(
        ['cursor=bm9wZQ', 'event=signal.stolen', 'subject=Kowalska', 'limit=0', 'from=yesterday'].map(
          async (q) => (await client.admin('GET', `/v1/admin/audit/entries?${q}`, token)).status,
        ),
      );
      expect(statuses).toEqual([400, 400, 400, 400, 400]);
    });

    it('shows a partner-scoped token only its partners’ entries, and no governance entries', async () => {
      const scoped = await client.token('auditor', 'scoped', { partnerScope: ['kmar'] });
      const page = await search('limit=1000', scoped);
      const partners = new Set(page.entries.map((e) => e.entry.partnerId ?? `record:${e.entry.recordId}`));
      expect({
        count: page.entries.length,
        received: page.entries
          .filter((e) => e.entry.event === 'signal.received')
          .map((e) => e.entry.partnerId),
        governance: page.entries.filter((e) => e.entry.event.startsWith('governance.')).length,
      }).toEqual({ count: 3, received: ['kmar'], governance: 0 });
      expect(partners.size).toBe(2);
      const unscoped = await search('limit=1000', await client.token('auditor', 'a'));
      expect(unscoped.entries.some((e) => e.entry.event === 'governance.bootstrapped')).toBe(true);
    });

    it('answers 403 to a scoped token filtering on another partner', async () => {
      const scoped = await client.token('auditor', 'scoped', { partnerScope: ['kmar'] });
      expect(
        (await client.admin('GET', '/v1/admin/audit/entries?partner=politie-oost-brabant', scoped)).status,
      ).toBe(403);
    });

    it('exports a selection as NDJSON whose lines hash to their leaf hashes', async () => {
      const token = await client.token('auditor', 'a');
      const answer = await client.admin(
        'GET',
        '/v1/admin/audit/entries?format=ndjson&partner=politie-oost-brabant',
        token,
      );
      const lines = answer.text.trim().split('\n');
      const parsed = lines.map((l) => JSON.parse(l) as Reviewed);
      const hashes = lines.map((l) => leafHash(l.slice(l.indexOf('"entry":') + 8, -1)).toString('base64'));
      expect({
        type: answer.headers['content-type'],
        hashes,
        idx: parsed.map((p) => p.idx),
      }).toEqual({
        type: expect.stringContaining('application/x-ndjson'),
        hashes: parsed.map((p) => p.leafHash),
        idx: (await search('partner=politie-oost-brabant', token)).entries.map((e) => e.idx),
      });
    });
  });

  describe('overview', () => {
    it('counts per partner, purpose and field what was forwarded, pseudonymised, generalised and dropped', async () => {
      const answer = await client.admin(
        'GET',
        '/v1/admin/audit/overview',
        await client.token('privacy-officer', 'o'),
      );
      expect(answer.status).toBe(200);
      const police = answer
        .json<{
          partners: {
            partnerId: string;
            purposes: { purpose: string; received: number; fields: Record<string, unknown>[] }[];
          }[];
        }>()
        .partners.find((p) => p.partnerId === 'politie-oost-brabant')!;
      const registration = police.purposes.find((p) => p.purpose === 'registration')!;
      expect({
        received: registration.received,
        familyName: registration.fields.find((f) => f.field === 'subject.familyName'),
        narrative: registration.fields.find((f) => f.field === 'situation.narrative'),
      }).toEqual({
        received: 1,
        familyName: {
          field: 'subject.familyName',
          forwarded: 0,
          pseudonymised: 1,
          generalised: 0,
          dropped: 0,
        },
        narrative: {
          field: 'situation.narrative',
          forwarded: 0,
          pseudonymised: 0,
          generalised: 0,
          dropped: 1,
        },
      });
    });

    it('counts refusals by reason', async () => {
      const answer = await client.admin(
        'GET',
        '/v1/admin/audit/overview',
        await client.token('auditor', 'a'),
      );
      expect(answer.json<{ refusals: unknown[] }>().refusals).toContainEqual({
        partnerId: 'arbeidsinspectie',
        reason: 'POLICY.PURPOSE_NOT_ALLOWED',
        count: 1,
      });
    });

    it('shows a scoped token only its partners, within the time range', async () => {
      const token = await client.token('auditor', 'scoped', { partnerScope: ['kmar'] });
      const now = await client.admin('GET', '/v1/admin/audit/overview', token);
      const past = await client.admin('GET', '/v1/admin/audit/overview?from=2000-01-01&to=2001-01-01', token);
      expect({
        now: now
          .json<{ partners: { partnerId: string }[]; refusals: unknown[] }>()
          .partners.map((p) => p.partnerId),
        refusals: now.json<{ refusals: unknown[] }>().refusals,
        past: past.json<{ partners: unknown[] }>().partners,
      }).toEqual({ now: ['kmar'], refusals: [], past: [] });
    });
  });

  describe('subject lookup', () => {
    const written = {
      // Names in the other fields and order, without diacritics: the same normalised person.
      givenNames: 'Wisniewskakanarie',
      familyName: 'Lucja Zofiakanarie',
      birthDate: CANARY.birthDate,
      sex: 'female',
    };

    it('finds every entry about a person from differently written identifiers, in every partner', async () => {
      const answer = await lookup(await client.token('privacy-officer', 'officer-1'), {
        requestReference: 'SAR-2026-0001',
        subject: written,
      });
      expect(answer.status).toBe(200);
      const body = answer.json<{ matches: number; entries: Reviewed[] }>();
      expect(body.entries.map((e) => e.entry.signalId).sort()).toEqual(
        [sent.police.signalId, sent.kmar.signalId].sort(),
      );
    });

    it('finds a person by a document number written otherwise', async () => {
      const answer = await lookup(await client.token('privacy-officer', 'officer-1'), {
        requestReference: 'SAR-2026-0002',
        subject: { documents: [{ type: 'passport', country: 'PL', number: 'zx-987654-3' }] },
      });
      expect(answer.json<{ entries: Reviewed[] }>().entries.map((e) => e.entry.signalId)).toEqual([
        sent.police.signalId,
      ]);
    });

    it('limits the result to the officer’s partner scope', async () => {
      const token = await client.token('privacy-officer', 'officer-2', { partnerScope: ['kmar'] });
      const answer = await lookup(token, { requestReference: 'SAR-2026-0003', subject: written });
      expect(answer.json<{ entries: Reviewed[] }>().entries.map((e) => e.entry.partnerId)).toEqual(['kmar']);
    });

    it('answers 403 to an auditor', async () => {
      const answer = await lookup(await client.token('auditor', 'a'), {
        requestReference: 'SAR-2026-0004',
        subject: written,
      });
      expect(answer.status).toBe(403);
    });

    it('answers 400 to a reference that is free text, naming the field and not the value', async () => {
      const answer = await lookup(await client.token('privacy-officer', 'officer-3'), {
        requestReference: 'Verzoek van Zofiakanarie',
        subject: written,
      });
      expect({ status: answer.status, leaks: findCanaries(answer.text, ['Zofiakanarie']) }).toEqual({
        status: 400,
        leaks: [],
      });
    });

    it('answers 429 with Retry-After past ten lookups a minute by one officer', async () => {
      const token = await client.token('privacy-officer', 'officer-rate');
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 11; i++) {
        const answer = await lookup(token, { requestReference: `SAR-2026-1${i}`, subject: written });
        statuses.push(answer.status);
        retryAfter = answer.headers['retry-after'] as string | undefined;
      }
      expect({ statuses, retryAfter: Number(retryAfter) > 0 }).toEqual({
        statuses: [...Array(10).fill(200), 429],
        retryAfter: true,
      });
    });

    it('audits each lookup with its reference, officer and match count — and no identifiers', async () => {
      const page = await search('event=audit.subject-lookup&limit=1000', await client.token('auditor', 'a'));
      const first = page.entries.find((e) => e.entry.requestReference === 'SAR-2026-0001')!;
      expect(first.entry).toEqual({
        event: 'audit.subject-lookup',
        at: expect.any(String),
        correlationId: expect.any(String),
        actor: 'officer-1',
        requestReference: 'SAR-2026-0001',
        matches: 2,
      });
    });

    it('shows lookups in the overview', async () => {
      const unscoped = await client.admin(
        'GET',
        '/v1/admin/audit/overview',
        await client.token('auditor', 'a'),
      );
      const scoped = await client.admin(
        'GET',
        '/v1/admin/audit/overview',
        await client.token('auditor', 'a', { partnerScope: ['kmar'] }),
      );
      expect({
        unscoped: unscoped.json<{ subjectLookups: number }>().subjectLookups >= 12,
        scoped: scoped.json<{ subjectLookups: number }>().subjectLookups,
      }).toEqual({ unscoped: true, scoped: 1 });
    });
  });

  describe('canary', () => {
    it('keeps names, birth date, document numbers, free text and register tokens out of log, export and search', async () => {
      const exportDir = join(dataDir, 'canary-export');
      const total = Number(
        (await sql<{ n: string }>(gatewayDb.url, 'SELECT count(*) AS n FROM audit_entry'))[0].n,
      );
      await exportWhenCosigned(stack, dataDir, exportDir, total);
      expect((await verifyAuditExport(exportDir)).ok).toBe(true);
      const registerTokens = (
        await sql<{ record: { tokens: { value: string }[] } }>(
          registerDb.url,
          'SELECT record FROM register_record',
        )
      ).flatMap((r) => r.record.tokens.map((t) => t.value));
      const token = await client.token('privacy-officer', 'canary-officer');
      const places = {
        log: decodeForScan(
          (await sql<{ entry: string }>(gatewayDb.url, 'SELECT entry FROM audit_entry ORDER BY idx'))
            .map((r) => r.entry)
            .join('\n') + JSON.stringify(await sql(gatewayDb.url, 'SELECT * FROM audit_subject_opening')),
        ),
        export: decodeForScan(
          readdirSync(exportDir)
            .map((f) => readFileSync(join(exportDir, f), 'utf8'))
            .join('\n'),
        ),
        search: decodeForScan(
          (await client.admin('GET', '/v1/admin/audit/entries?format=ndjson', token)).text +
            (
              await lookup(token, {
                requestReference: 'SAR-2026-0099',
                subject: {
                  familyName: CANARY.family,
                  givenNames: CANARY.given,
                  birthDate: CANARY.birthDate,
                  sex: 'female',
                },
              })
            ).text,
        ),
        'gateway log': decodeForScan(gatewayLog.text()),
      };
      const needles = [
        ...Object.values(CANARY),
        ...normaliseName(CANARY.given),
        ...normaliseName(CANARY.family),
        CANARY.birthDate.replace(/-/g, ''),
        normaliseDocumentNumber(CANARY.document),
        normaliseDocumentNumber(CANARY.otherDocument),
        CANARY.phone.replace(/\D/g, ''),
        ...registerTokens,
      ];
      expect(registerTokens.length).toBeGreaterThan(3);
      for (const [place, text] of Object.entries(places)) {
        // The same search finds the signal's correlation id everywhere, so an empty place cannot pass.
        expect({ place, found: findCanaries(text, [sent.police.correlationId]) }).toEqual({
          place,
          found: [sent.police.correlationId],
        });
        expect({ place, found: findCanaries(text, needles) }).toEqual({ place, found: [] });
      }
    });
  });
});
