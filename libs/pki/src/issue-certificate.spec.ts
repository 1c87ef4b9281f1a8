import { createPrivateKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createDevCa, isDevCa } from './dev-ca.js';
import { issueCertificate } from './issue-certificate.js';
import type { PemPair } from './certificate.builder.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

describe(createDevCa.name, () => {
  let sut: PemPair;
  beforeAll(() => {
    sut = createDevCa({ commonName: 'Spec CA' });
  });

  it('is a self-signed CA certificate with the dev marker', () => {
    const cert = new X509Certificate(sut.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject.split('\n')).toEqual(['CN=Spec CA', 'O=Ketenpoort dev', 'OU=ketenpoort-dev-ca']);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it('uses an RSA 2048 key and is valid about ten years', () => {
    const cert = new X509Certificate(sut.certPem);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeCloseTo(10, 1);
  });

  it('is recognised by isDevCa', () => {
    expect(isDevCa(sut.certPem)).toBe(true);
  });
});

describe(issueCertificate.name, () => {
  let ca: PemPair;
  beforeAll(() => {
    ca = createDevCa();
  });

  it('issues a server certificate with serverAuth and SAN localhost + 127.0.0.1 + extra names', () => {
    const sut = issueCertificate(ca, { kind: 'server', commonName: 'gateway', sans: ['gateway.internal'] });
    const cert = new X509Certificate(sut.certPem);
    expect(cert.keyUsage).toEqual([SERVER_AUTH]);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, DNS:gateway.internal');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.ca).toBe(false);
  });

  it('issues a client certificate with clientAuth whose subject carries the OIN in serialNumber', () => {
    const sut = issueCertificate(ca, {
      kind: 'client',
      commonName: 'zorgcoordinator-brabant',
      organisation: 'Zorgcoördinatie Mensenhandel Brabant',
      organisationIdentifier: '00000001003214345003',
    });
    const cert = new X509Certificate(sut.certPem);
    expect(cert.keyUsage).toEqual([CLIENT_AUTH]);
    expect(cert.subject.split('\n')).toEqual([
      'CN=zorgcoordinator-brabant',
      'O=Zorgcoördinatie Mensenhandel Brabant',
      'serialNumber=00000001003214345003',
    ]);
  });

  it('signs with the CA key, and the returned key belongs to the certificate', () => {
    const sut = issueCertificate(ca, { kind: 'client', commonName: 'x' });
    const cert = new X509Certificate(sut.certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(sut.keyPem))).toBe(true);
  });

  it('gives every certificate a different positive serial', () => {
    const serials = [1, 2].map(
      () =>
        new X509Certificate(issueCertificate(ca, { kind: 'client', commonName: 'x' }).certPem).serialNumber,
    );
    expect(serials[0]).not.toBe(serials[1]);
    for (const serial of serials) expect(parseInt(serial.slice(0, 2), 16) & 0x80).toBe(0);
  });

  it('starts validity an hour ago and lasts validDays', () => {
    const before = Date.now();
    const sut = issueCertificate(ca, { kind: 'client', commonName: 'x', validDays: 30 });
    const cert = new X509Certificate(sut.certPem);
    expect(before - Date.parse(cert.validFrom)).toBeGreaterThan(59 * 60 * 1000);
    expect(before - Date.parse(cert.validFrom)).toBeLessThan(61 * 60 * 1000);
    const days = (Date.parse(cert.validTo) - before) / (24 * 3600 * 1000);
    expect(days).toBeCloseTo(30, 1);
  });

  it('honours explicit notBefore and notAfter', () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2020-02-01T00:00:00Z');
    const sut = issueCertificate(ca, { kind: 'client', commonName: 'x', notBefore, notAfter });
    const cert = new X509Certificate(sut.certPem);
    expect(new Date(cert.validFrom)).toEqual(notBefore);
    expect(new Date(cert.validTo)).toEqual(notAfter);
  });

  it('refuses notAfter before notBefore', () => {
    expect(() =>
      issueCertificate(ca, {
        kind: 'client',
        commonName: 'x',
        notBefore: new Date(2),
        notAfter: new Date(1),
      }),
    ).toThrow(expect.objectContaining({ code: 'PKI.ISSUE_INVALID' }));
  });

  it('does not mark a leaf as a dev CA', () => {
    const sut = issueCertificate(ca, { kind: 'client', commonName: 'x' });
    expect(isDevCa(sut.certPem)).toBe(false);
  });
});
