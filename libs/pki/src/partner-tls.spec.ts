import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PemPair } from './certificate.builder.js';
import { certificateFingerprint } from './certificate-fingerprint.js';
import { identityFromPeerCertificate } from './certificate-identity.js';
import { createDevCa } from './dev-ca.js';
import { issueCertificate } from './issue-certificate.js';
import { partnerCertificateOptions } from './dev-pki.bootstrap.js';
import { PartnerDirectory } from './partner.directory.js';
import type { PartnerConfig } from './partners-file.loader.js';

const kmar: PartnerConfig = {
  id: 'kmar',
  name: 'Koninklijke Marechaussee',
  oin: '00000001003214345001',
  ca: 'dev',
  reporterType: 'kmar',
  purposes: ['registration'],
};

interface Answer {
  partner: string | null;
  fingerprint: string;
  issuerFingerprint: string | null;
}

let ca: PemPair;
let otherCa: PemPair;
let kmarCert: PemPair;
let server: Server;
let port: number;
let handled = 0;

beforeAll(async () => {
  ca = createDevCa({ commonName: 'TLS spec CA' });
  otherCa = createDevCa({ commonName: 'TLS spec other CA' });
  kmarCert = issueCertificate(ca, partnerCertificateOptions(kmar));
  const serverCert = issueCertificate(ca, { kind: 'server', commonName: 'gateway' });
  const sut = new PartnerDirectory([kmar], { dev: ca.certPem });

  // What the gateway's partner listener does: the handshake verifies the chain, the directory names the partner.
  server = createServer(
    {
      cert: serverCert.certPem,
      key: serverCert.keyPem,
      ca: sut.caBundle(),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket: TLSSocket) => {
      handled += 1;
      const identity = identityFromPeerCertificate(socket.getPeerCertificate(true));
      const answer: Answer = {
        partner: sut.resolve(identity)?.id ?? null,
        fingerprint: identity.fingerprint,
        issuerFingerprint: identity.issuerFingerprint,
      };
      socket.end(JSON.stringify(answer));
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Connects with an optional client certificate; resolves with the server's answer, rejects when refused. */
function talk(client?: PemPair): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: ca.certPem,
      ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      if (data === '') reject(new Error('closed without an answer'));
      else resolve(JSON.parse(data) as Answer);
    });
  });
}

/** Under TLS 1.3 a refused client certificate shows as an alert or a reset after the client's handshake. */
async function expectRefused(client?: PemPair): Promise<void> {
  const before = handled;
  const error = (await talk(client).then(
    () => new Error('unexpectedly accepted'),
    (e: unknown) => e,
  )) as NodeJS.ErrnoException;
  expect(error.message).not.toBe('unexpectedly accepted');
  expect(`${error.code ?? ''} ${error.message}`).toMatch(
    /ECONNRESET|EPIPE|CERTIFICATE_REQUIRED|certificate required|UNKNOWN_CA|unknown ca|closed without an answer|alert/i,
  );
  expect(handled).toBe(before);
}

describe('partner listener (mutual TLS)', () => {
  it('accepts a partner certificate and resolves the partner from it', async () => {
    const answer = await talk(kmarCert);
    expect(answer).toEqual({
      partner: 'kmar',
      fingerprint: certificateFingerprint(kmarCert.certPem),
      issuerFingerprint: certificateFingerprint(ca.certPem),
    });
  });

  it('resolves a renewed certificate of the same partner to the same partner', async () => {
    const renewed = issueCertificate(ca, partnerCertificateOptions(kmar));
    const answer = await talk(renewed);
    expect(answer.partner).toBe('kmar');
    expect(answer.fingerprint).not.toBe(certificateFingerprint(kmarCert.certPem));
  });

  it('refuses a client without a certificate at the handshake', async () => {
    await expectRefused();
  });

  it('refuses a certificate with the partner subject from another CA at the handshake', async () => {
    await expectRefused(issueCertificate(otherCa, partnerCertificateOptions(kmar)));
  });

  it('refuses an expired partner certificate at the handshake', async () => {
    const day = 24 * 3600 * 1000;
    const expired = issueCertificate(ca, {
      ...partnerCertificateOptions(kmar),
      notBefore: new Date(Date.now() - 30 * day),
      notAfter: new Date(Date.now() - day),
    });
    await expectRefused(expired);
  });

  it('accepts a certificate of the trusted CA with an unknown OIN but resolves no partner', async () => {
    const stranger = issueCertificate(ca, {
      kind: 'client',
      commonName: 'stranger',
      organisation: 'Unknown Agency',
      organisationIdentifier: '00000001999999999999',
    });
    expect((await talk(stranger)).partner).toBeNull();
  });
});
