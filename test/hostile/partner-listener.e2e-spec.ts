import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TLSSocket } from 'node:tls';
import {
  issueCertificate,
  partnerCertificateOptions,
  readDevCa,
  revokeInDevCrl,
  type PemPair,
} from '@ketenpoort/pki';
import { aSignal, eventually, testDatabaseKinds } from '@ketenpoort/testing';
import { HostileFixture, logLines, whenClosed } from './hostile-fixture.js';

const LIMITS = {
  handshakeTimeoutMs: 1_000,
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  keepAliveTimeoutMs: 1_500,
  idleTimeoutMs: 4_000,
  tlsSessionTimeoutSeconds: 60,
};
/** The checker runs every second: a bound holds within it plus scheduling slack. */
const SLACK_MS = 1_500;
const LIMITED_PARTNER = 'jeugdzorg-utrecht';

describe.each(testDatabaseKinds())('hostile input: partner and admin listeners (%s)', (kind) => {
  const fixture = new HostileFixture();
  const kmar = { id: 'kmar', oin: '00000001003214345001' };

  const refusalReasons = () =>
    logLines(fixture.gatewayLog)
      .filter((l) => l.msg === 'TLS connection refused' && l.listener === 'partner')
      .map((l) => l.reason as string);

  /** A fresh certificate for kmar (same identity, own serial), as a renewal would give. */
  const kmarCertificate = (): PemPair =>
    issueCertificate(
      readDevCa(fixture.dataDir),
      partnerCertificateOptions({ id: kmar.id, name: 'Koninklijke Marechaussee', oin: kmar.oin }),
    );
  const as = (pair: PemPair) => ({ cert: pair.certPem, key: pair.keyPem });

  /** Sends one GET over an open connection and reads the status line of its answer. */
  const getOver = (socket: TLSSocket, path: string) =>
    new Promise<string>((resolve, reject) => {
      socket.once('data', (d: Buffer) => resolve(d.toString('utf8').split('\r\n')[0]));
      socket.once('close', () => reject(new Error('connection closed')));
      socket.once('error', reject);
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
    });

  let configDir: string;

  beforeAll(async () => {
    // The limited partner's own limit comes from the partner table (bootstrapped as approved in dev mode).
    configDir = mkdtempSync(join(tmpdir(), 'kp-hostile-config-'));
    cpSync(resolvePath('config'), configDir, { recursive: true });
    const partnersFile = join(configDir, 'partners.yaml');
    const partners = readFileSync(partnersFile, 'utf8');
    const limited = partners.replace(
      `  - id: ${LIMITED_PARTNER}\n`,
      `  - id: ${LIMITED_PARTNER}\n    rateLimit: { requestsPerSecond: 0.5, burst: 3 }\n`,
    );
    expect(limited).not.toBe(partners);
    writeFileSync(partnersFile, limited);
    await fixture.start(kind, {
      configDir,
      rateLimit: { requestsPerSecond: 1_000, burst: 1_000 },
      listeners: LIMITS,
      revocation: { refreshIntervalMs: 1_000 },
    });
  }, 120_000);

  afterAll(async () => {
    await fixture.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  }, 60_000);

  describe('limits', () => {
    it('answers 413 to a body over the limit and stores nothing', async () => {
      const before = await fixture.rowCounts();
      const body = JSON.stringify(aSignal().with('situation.narrative', 'x'.repeat(300_000)).build());
      const answer = await fixture.post('politie-oost-brabant', body);
      expect({ status: answer.status, error: answer.json<{ error: string }>().error }).toEqual({
        status: 413,
        error: 'SIGNAL.TOO_LARGE',
      });
      expect(await fixture.rowCounts()).toEqual(before);
    });

    it('answers 413 to a gzip bomb: the limit holds for the inflated body', async () => {
      const bomb = gzipSync(Buffer.alloc(50 * 2 ** 20, 0x20));
      expect(bomb.length).toBeLessThan(256 * 1024);
      const answer = await new Promise<number>((resolve, reject) => {
        fixture
          .tls(fixture.stack.gateway.partnerUrl, fixture.credentials('politie-oost-brabant'))
          .then((socket) => {
            socket.on('data', (d: Buffer) => resolve(Number(d.toString('utf8').split(' ')[1])));
            socket.on('error', reject);
            socket.on('close', () => reject(new Error('closed without an answer')));
            socket.write(
              `POST /v1/signals HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
                `Content-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\nConnection: close\r\n\r\n`,
            );
            socket.write(bomb);
          }, reject);
      });
      expect(answer).toBe(413);
    });

    it('answers 429 with Retry-After once a partner exceeds its rate, and nothing is stored for it', async () => {
      const before = await fixture.rowCounts();
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 6; i++) {
        const answer = await fixture.get(LIMITED_PARTNER, `/v1/signals/${randomUUID()}`);
        statuses.push(answer.status);
        if (answer.status === 429) {
          retryAfter = answer.headers['retry-after'] as string;
          expect(answer.json()).toMatchObject({ error: 'PARTNER.RATE_LIMITED' });
        }
      }
      expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      const signal = await fixture.post(LIMITED_PARTNER, JSON.stringify(aSignal().build()));
      expect(signal.status).toBe(429);
      expect(await fixture.rowCounts()).toEqual(before);
    });

    it('keeps the rate of one partner from limiting another', async () => {
      const answer = await fixture.get('politie-oost-brabant', `/v1/signals/${randomUUID()}`);
      expect(answer.status).toBe(404);
    });

    it('admits the limited partner again after the Retry-After time', async () => {
      await new Promise((r) => setTimeout(r, 2_100));
      expect((await fixture.get(LIMITED_PARTNER, `/v1/signals/${randomUUID()}`)).status).toBe(404);
    });

    for (const listener of ['partner', 'admin'] as const) {
      it(`cuts off a client trickling headers on the ${listener} listener within the header timeout`, async () => {
        const url =
          listener === 'partner' ? fixture.stack.gateway.partnerUrl : fixture.stack.gateway.adminUrl;
        const socket = await fixture.tls(url, listener === 'partner' ? fixture.credentials('kmar') : {});
        socket.write('GET /v1/signals/x HTTP/1.1\r\nHost: localhost\r\n');
        const trickle = setInterval(
          () => socket.writable && socket.write(`X-Slow-${Date.now()}: a\r\n`),
          200,
        );
        try {
          const closed = await whenClosed(socket, LIMITS.headersTimeoutMs + SLACK_MS + 2_000);
          expect(closed.afterMs).toBeLessThan(LIMITS.headersTimeoutMs + SLACK_MS);
          expect(closed.received).toMatch(/^HTTP\/1\.1 408/);
        } finally {
          clearInterval(trickle);
        }
      });
    }

    it('cuts off a client trickling its body within the request timeout', async () => {
      const socket = await fixture.tls(fixture.stack.gateway.partnerUrl, fixture.credentials('kmar'));
      socket.write(
        'POST /v1/signals HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{',
      );
      const trickle = setInterval(() => socket.writable && socket.write(' '), 200);
      try {
        const closed = await whenClosed(socket, LIMITS.requestTimeoutMs + SLACK_MS + 2_000);
        expect(closed.afterMs).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
      } finally {
        clearInterval(trickle);
      }
    });

    it('drops a connection that never finishes the TLS handshake within the handshake timeout', async () => {
      const { hostname, port } = new URL(fixture.stack.gateway.partnerUrl);
      const started = Date.now();
      const afterMs = await new Promise<number>((resolve, reject) => {
        const socket = tcpConnect(Number(port), hostname, () =>
          socket.write(Buffer.from([0x16, 0x03, 0x01])),
        );
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Date.now() - started));
        setTimeout(() => reject(new Error('handshake never timed out')), LIMITS.handshakeTimeoutMs + 5_000);
      });
      expect(afterMs).toBeLessThan(LIMITS.handshakeTimeoutMs + SLACK_MS);
    });

    it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
      const socket = await fixture.tls(fixture.stack.gateway.partnerUrl, fixture.credentials('kmar'));
      expect(await getOver(socket, `/v1/signals/${randomUUID()}`)).toBe('HTTP/1.1 404 Not Found');
      const closed = await whenClosed(socket, LIMITS.keepAliveTimeoutMs + SLACK_MS + 2_000);
      expect(closed.afterMs).toBeLessThan(LIMITS.keepAliveTimeoutMs + SLACK_MS);
    });
  });

  describe('mutual TLS', () => {
    const refused = (credentials: { cert?: string; key?: string }) =>
      fixture.get('kmar', `/v1/signals/${randomUUID()}`, credentials as { cert: string; key: string });

    it('refuses a connection without a client certificate, and logs the reason code', async () => {
      await expect(refused({})).rejects.toThrow(/ECONNRESET|socket hang up|certificate/i);
      await eventually(async () => (refusalReasons().length ? true : undefined));
    });

    it('refuses a certificate of an unknown CA, and logs why', async () => {
      const { createDevCa } = await import('@ketenpoort/pki');
      const stranger = issueCertificate(
        createDevCa({ commonName: 'Stranger CA' }),
        partnerCertificateOptions({ id: 'kmar', name: 'KMar', oin: kmar.oin }),
      );
      await expect(refused(as(stranger))).rejects.toThrow();
      await eventually(async () =>
        refusalReasons().includes('UNABLE_TO_VERIFY_LEAF_SIGNATURE') ? true : undefined,
      );
    });

    it('refuses an expired certificate of the trusted CA', async () => {
      const expired = issueCertificate(readDevCa(fixture.dataDir), {
        ...partnerCertificateOptions({ id: 'kmar', name: 'KMar', oin: kmar.oin }),
        notBefore: new Date(Date.now() - 30 * 86_400_000),
        notAfter: new Date(Date.now() - 86_400_000),
      });
      await expect(refused(as(expired))).rejects.toThrow();
      await eventually(async () => (refusalReasons().includes('CERT_HAS_EXPIRED') ? true : undefined));
    });

    it('refuses a certificate that is not yet valid', async () => {
      const early = issueCertificate(readDevCa(fixture.dataDir), {
        ...partnerCertificateOptions({ id: 'kmar', name: 'KMar', oin: kmar.oin }),
        notBefore: new Date(Date.now() + 86_400_000),
        notAfter: new Date(Date.now() + 30 * 86_400_000),
      });
      await expect(refused(as(early))).rejects.toThrow();
      await eventually(async () => (refusalReasons().includes('CERT_NOT_YET_VALID') ? true : undefined));
    });

    it('refuses a server-authentication certificate used as a client certificate (wrong key usage)', async () => {
      const serverOnly = issueCertificate(readDevCa(fixture.dataDir), {
        kind: 'server',
        commonName: 'kmar',
        organisationIdentifier: kmar.oin,
      });
      await expect(refused(as(serverOnly))).rejects.toThrow();
      await eventually(async () => (refusalReasons().includes('INVALID_PURPOSE') ? true : undefined));
    });

    it('accepts a fresh certificate of the partner (the control for the refusals above)', async () => {
      expect((await refused(as(kmarCertificate()))).status).toBe(404);
    });

    it('answers 404 to a partner asking for another partner signal', async () => {
      const signal = aSignal().build();
      expect((await fixture.post('politie-oost-brabant', JSON.stringify(signal))).status).toBe(202);
      expect(
        (await fixture.get('politie-oost-brabant', `/v1/signals/${signal.signalId as string}`)).status,
      ).toBe(200);
      const other = await fixture.get('kmar', `/v1/signals/${signal.signalId as string}`);
      expect({ status: other.status, leaks: other.text.includes(signal.signalId as string) }).toEqual({
        status: 404,
        leaks: false,
      });
    });

    it('revokes without restart: a reload closes the open keep-alive connection, and neither a new handshake nor session resumption gets through', async () => {
      const pair = kmarCertificate();
      const socket = await fixture.tls(fixture.stack.gateway.partnerUrl, as(pair));
      expect(await getOver(socket, `/v1/signals/${randomUUID()}`)).toBe('HTTP/1.1 404 Not Found');
      // No tickets: under TLS 1.3 the server hands out no session to resume at all.
      const session = await new Promise<Buffer | undefined>((resolve) => {
        socket.once('session', resolve);
        setTimeout(() => resolve(socket.getSession()), 500);
      });
      const closed = whenClosed(socket, 5_000);

      revokeInDevCrl(fixture.dataDir, pair.certPem);
      const reload = await fixture.stack.gateway.reloadRevocations();
      expect(reload).toMatchObject({ changed: true, revoked: 1, problems: 0, closed: 1 });
      await closed;

      await expect(
        fixture.tls(fixture.stack.gateway.partnerUrl, as(pair)).then((s) => getOver(s, '/v1/signals/x')),
      ).rejects.toThrow();
      console.log(`TLS session offered for resumption: ${session ? 'yes' : 'no'}`);
      const resumed = await fixture
        .tls(fixture.stack.gateway.partnerUrl, { ...as(pair), session })
        .then(async (s) => ({
          reused: s.isSessionReused(),
          answer: await Promise.race([
            getOver(s, '/v1/signals/x'),
            whenClosed(s, 3_000).then(() => 'closed'),
          ]),
        }))
        .catch(() => ({ reused: false, answer: 'refused' }));
      expect(resumed.answer).toMatch(/^(refused|closed)$/);
      expect(refusalReasons()).toContain('CERT_REVOKED');
      // Another certificate of the same partner still works.
      expect((await refused(as(kmarCertificate()))).status).toBe(404);
    });

    it('picks up a new CRL by itself within the refresh interval', async () => {
      const pair = kmarCertificate();
      expect((await refused(as(pair))).status).toBe(404);
      revokeInDevCrl(fixture.dataDir, pair.certPem);
      await eventually(
        async () =>
          (await refused(as(pair)).then(
            () => false,
            () => true,
          ))
            ? true
            : undefined,
        5_000,
        250,
      );
    });

    it('logs TLS refusals with the reason code only: no certificate subject, no fingerprint, no address', async () => {
      const lines = logLines(fixture.gatewayLog).filter((l) => l.msg === 'TLS connection refused');
      expect(lines.length).toBeGreaterThanOrEqual(5);
      for (const line of lines)
        expect(Object.keys(line).sort()).toEqual([
          'app',
          'context',
          'level',
          'listener',
          'msg',
          'reason',
          'time',
        ]);
    });
  });
});
