import { describe, expect, it } from '@jest/globals';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { createServer, connect, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createDevCa } from './dev-ca.js';
import { issueCertificate } from './issue-certificate.js';
import { createCrl, parseCrl, verifyCrl } from './revocation-list.js';
import { RevocationChecker } from './revocation-checker.js';

const ca = createDevCa({ commonName: 'CRL test CA' });
const otherCa = createDevCa({ commonName: 'CRL other CA' });
const client = (name: string) =>
  issueCertificate(ca, { kind: 'client', commonName: name, organisationIdentifier: '00000001003214345000' });
const server = issueCertificate(ca, { kind: 'server', commonName: 'server' });
const serialOf = (pem: string) => new X509Certificate(pem).serialNumber;

/** Result of one mutual-TLS handshake against a server trusting `ca` and the given CRL. */
async function handshake(
  crl: string | undefined,
  cert: { certPem: string; keyPem: string },
): Promise<string> {
  const sut: Server = createServer({
    key: server.keyPem,
    cert: server.certPem,
    ca: ca.certPem,
    crl,
    requestCert: true,
    // Node destroys refused peers silently; checking here shows OpenSSL's verification result.
    rejectUnauthorized: false,
  });
  const reasons: string[] = [];
  sut.on('secureConnection', (s: TLSSocket) => {
    if (s.authorized) s.end('ok');
    else {
      reasons.push(String(s.authorizationError));
      s.destroy();
    }
  });
  await new Promise<void>((r) => sut.listen(0, '127.0.0.1', r));
  try {
    return await new Promise<string>((resolve) => {
      const socket = connect({
        port: (sut.address() as AddressInfo).port,
        host: '127.0.0.1',
        ca: ca.certPem,
        cert: cert.certPem,
        key: cert.keyPem,
        servername: 'localhost',
      });
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data || `refused:${reasons.join(',')}`));
      socket.on('error', () => setTimeout(() => resolve(`refused:${reasons.join(',')}`), 50));
    });
  } finally {
    sut.close();
  }
}

describe(createCrl.name, () => {
  it('writes a CRL that OpenSSL enforces: the revoked certificate is refused at the handshake', async () => {
    const revoked = client('revoked');
    const sut = createCrl(ca, [{ serial: serialOf(revoked.certPem), reason: 'keyCompromise' }]);
    expect(await handshake(sut, revoked)).toMatch(/^refused:CERT_REVOKED/);
  });

  it('writes a CRL under which a certificate it does not list still connects', async () => {
    const sut = createCrl(ca, [serialOf(client('revoked').certPem)]);
    expect(await handshake(sut, client('fine'))).toBe('ok');
  });

  it('writes an empty CRL OpenSSL accepts', async () => {
    expect(await handshake(createCrl(ca, []), client('fine'))).toBe('ok');
  });

  it('writes a CRL whose expiry OpenSSL enforces for every certificate of the CA', async () => {
    const sut = createCrl(ca, [], {
      thisUpdate: new Date(Date.now() - 10 * 86_400_000),
      nextUpdate: new Date(Date.now() - 86_400_000),
    });
    expect(await handshake(sut, client('fine'))).toMatch(/^refused:CRL_HAS_EXPIRED/);
  });

  it('signs with an EC CA key too', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecCaKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // The CA certificate is RSA; only the signature algorithm selection is exercised here.
    expect(() => createCrl({ certPem: ca.certPem, keyPem: ecCaKey }, [])).not.toThrow();
  });
});

describe(parseCrl.name, () => {
  it('reads back the serials, the CRL number and the validity', () => {
    const serials = [serialOf(client('a').certPem), serialOf(client('b').certPem)];
    const thisUpdate = new Date('2026-01-01T00:00:00Z');
    const sut = parseCrl(createCrl(ca, serials, { thisUpdate, crlNumber: 7 }));
    expect(sut).toMatchObject({
      revokedSerials: serials.map((s) => s.replace(/^0+/, '')),
      crlNumber: 7,
      thisUpdate,
      nextUpdate: new Date('2026-01-08T00:00:00Z'),
    });
  });

  it('refuses text that is not a CRL with PKI.CRL_INVALID', () => {
    expect(() => parseCrl(ca.certPem)).toThrow(expect.objectContaining({ code: 'PKI.CRL_INVALID' }));
  });
});

describe(verifyCrl.name, () => {
  it('accepts a current CRL of the CA', () => {
    expect(verifyCrl(createCrl(ca, []), ca.certPem).revokedSerials).toEqual([]);
  });

  it('refuses a CRL of another CA with PKI.CRL_WRONG_ISSUER', () => {
    expect(() => verifyCrl(createCrl(otherCa, []), ca.certPem)).toThrow(
      expect.objectContaining({ code: 'PKI.CRL_WRONG_ISSUER' }),
    );
  });

  it('refuses a CRL signed with another key under the CA name with PKI.CRL_SIGNATURE_INVALID', () => {
    const forged = createCrl({ certPem: ca.certPem, keyPem: otherCa.keyPem }, []);
    expect(() => verifyCrl(forged, ca.certPem)).toThrow(
      expect.objectContaining({ code: 'PKI.CRL_SIGNATURE_INVALID' }),
    );
  });

  it('refuses a CRL past its nextUpdate with PKI.CRL_EXPIRED', () => {
    const stale = createCrl(ca, [], {
      thisUpdate: new Date('2020-01-01'),
      nextUpdate: new Date('2020-01-02'),
    });
    expect(() => verifyCrl(stale, ca.certPem)).toThrow(expect.objectContaining({ code: 'PKI.CRL_EXPIRED' }));
  });
});

describe(RevocationChecker.name, () => {
  it('finds a certificate listed by its CA', () => {
    const revoked = client('revoked');
    const sut = RevocationChecker.fromCrls([createCrl(ca, [serialOf(revoked.certPem)])], [ca.certPem]);
    expect(sut.isRevoked(new X509Certificate(revoked.certPem).raw)).toBe(true);
  });

  it('does not find a certificate the CRL does not list', () => {
    const sut = RevocationChecker.fromCrls([createCrl(ca, [serialOf(client('x').certPem)])], [ca.certPem]);
    expect(sut.isRevoked(new X509Certificate(client('y').certPem).raw)).toBe(false);
  });

  it('keeps the CRL with the highest number of a CA', () => {
    const revoked = client('later');
    const older = createCrl(ca, [], { crlNumber: 1 });
    const newer = createCrl(ca, [serialOf(revoked.certPem)], { crlNumber: 2 });
    const sut = RevocationChecker.fromCrls([newer, older], [ca.certPem]);
    expect({
      revoked: sut.isRevoked(new X509Certificate(revoked.certPem).raw),
      crls: sut.acceptedCrlPems,
    }).toEqual({
      revoked: true,
      crls: [newer],
    });
  });

  it('reports a forged or foreign CRL by position and code, and a CA left without CRL', () => {
    const forged = createCrl({ certPem: ca.certPem, keyPem: otherCa.keyPem }, []);
    const sut = RevocationChecker.fromCrls([forged, createCrl(otherCa, []), 'junk'], [ca.certPem]);
    expect({ problems: sut.problems, without: sut.casWithoutCrl }).toEqual({
      problems: [
        { index: 0, code: 'PKI.CRL_SIGNATURE_INVALID' },
        { index: 1, code: 'PKI.CRL_WRONG_ISSUER' },
        { index: 2, code: 'PKI.CRL_INVALID' },
      ],
      without: ['CRL test CA'],
    });
  });
});

describe(`${RevocationChecker.name} status`, () => {
  it('answers no-crl for a certificate of a CA no accepted CRL covers', () => {
    const stranger = issueCertificate(otherCa, { kind: 'client', commonName: 'stranger' });
    const sut = RevocationChecker.fromCrls([createCrl(ca, [])], [ca.certPem, otherCa.certPem]);
    expect(sut.status(new X509Certificate(stranger.certPem).raw)).toBe('no-crl');
  });

  it('answers good for a listed CA certificate that is not revoked', () => {
    const sut = RevocationChecker.fromCrls([createCrl(ca, [])], [ca.certPem]);
    expect(sut.status(new X509Certificate(client('ok').certPem).raw)).toBe('good');
  });
});
