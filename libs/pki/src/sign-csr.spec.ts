import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import forge from 'node-forge';
import type { PemPair } from './certificate.builder.js';
import { identityFromPeerCertificate, identityFromPem } from './certificate-identity.js';
import { createDevCa } from './dev-ca.js';
import { issueCertificate } from './issue-certificate.js';
import { PartnerDirectory } from './partner.directory.js';
import type { PartnerConfig } from './partners-file.loader.js';
import { signCsr } from './sign-csr.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const shelter: PartnerConfig = {
  id: 'opvang-amsterdam',
  name: 'Opvang Amsterdam',
  oin: '00000001003214345005',
  ca: 'dev',
  reporterType: 'shelter',
  purposes: ['registration'],
};

/** A partner's own key and a CSR that asks for more than it gets: another subject, a SAN and CA rights. */
function partnerCsr(bits = 2048): { keyPem: string; csrPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject([
    { name: 'commonName', value: 'politie-oost-brabant' },
    { name: 'serialNumber', value: '00000001003214345000' },
  ]);
  csr.setAttributes([
    {
      name: 'extensionRequest',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'evil.example' }] },
      ],
    },
  ]);
  csr.sign(key, forge.md.sha256.create());
  return { keyPem: privateKey, csrPem: forge.pki.certificationRequestToPem(csr) };
}

describe(signCsr.name, () => {
  let ca: PemPair;
  let request: { keyPem: string; csrPem: string };
  let sut: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    ca = createDevCa({ commonName: 'CSR spec CA' });
    request = partnerCsr();
    sut = signCsr(ca, request.csrPem, { partner: shelter, validDays: 30 });
    const serverCert = issueCertificate(ca, { kind: 'server', commonName: 'gateway' });
    const directory = new PartnerDirectory([shelter], { dev: ca.certPem });
    server = createServer(
      {
        cert: serverCert.certPem,
        key: serverCert.keyPem,
        ca: directory.caBundle(),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket: TLSSocket) => {
        const identity = identityFromPeerCertificate(socket.getPeerCertificate(true));
        socket.end(directory.resolve(identity)?.id ?? 'nobody');
      },
    );
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('takes the subject from the partner configuration, not from the request', () => {
    expect(new X509Certificate(sut).subject.split('\n')).toEqual([
      'CN=opvang-amsterdam',
      'O=Opvang Amsterdam',
      'serialNumber=00000001003214345005',
    ]);
  });

  it('certifies the key of the request, so the partner keeps its private key', () => {
    const cert = new X509Certificate(sut);
    expect(cert.checkPrivateKey(createPrivateKey(request.keyPem))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });

  it('issues a client certificate and ignores the requested CA rights and names', () => {
    const cert = new X509Certificate(sut);
    expect(cert.keyUsage).toEqual([CLIENT_AUTH]);
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBeUndefined();
  });

  it('sets the requested validity', () => {
    const days = (identityFromPem(sut).notAfter.getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('resolves to the partner over a real mTLS connection', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        ca: ca.certPem,
        cert: sut,
        key: request.keyPem,
        servername: 'localhost',
      });
      let body = '';
      socket.on('data', (chunk) => (body += chunk));
      socket.on('end', () => resolve(body));
      socket.on('error', reject);
    });
    expect(answer).toBe('opvang-amsterdam');
  });

  it('refuses a request whose signature does not verify', () => {
    const der = Buffer.from(request.csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 1] ^= 0x01; // the last byte of the signature
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(() => signCsr(ca, pem, { partner: shelter })).toThrow(
      expect.objectContaining({ code: 'PKI.CSR_INVALID', message: 'the CSR signature does not verify' }),
    );
  });

  it('refuses text that is no CSR', () => {
    expect(() => signCsr(ca, ca.certPem, { partner: shelter })).toThrow(
      expect.objectContaining({ code: 'PKI.CSR_INVALID' }),
    );
  });

  it('refuses an RSA key shorter than 2048 bits', () => {
    expect(() => signCsr(ca, partnerCsr(1024).csrPem, { partner: shelter })).toThrow(
      expect.objectContaining({
        code: 'PKI.CSR_INVALID',
        message: 'the CSR key must be RSA of at least 2048 bits',
      }),
    );
  });
});
