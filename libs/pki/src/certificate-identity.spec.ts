import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { PemPair } from './certificate.builder.js';
import { certificateDer, certificateFingerprint } from './certificate-fingerprint.js';
import { identityFromPeerCertificate, identityFromPem } from './certificate-identity.js';
import { createDevCa } from './dev-ca.js';
import { issueCertificate } from './issue-certificate.js';

let ca: PemPair;
let otherCa: PemPair;
let partner: PemPair;

beforeAll(() => {
  ca = createDevCa({ commonName: 'Identity spec CA' });
  otherCa = createDevCa({ commonName: 'Identity spec other CA' });
  partner = issueCertificate(ca, {
    kind: 'client',
    commonName: 'kmar',
    organisation: 'Koninklijke Marechaussee',
    organisationIdentifier: '00000001003214345001',
  });
});

/** A DetailedPeerCertificate as Node builds it: only the fields we read plus the DER. */
function peerOf(certPem: string, issuer?: DetailedPeerCertificate): DetailedPeerCertificate {
  const legacy = new X509Certificate(certPem).toLegacyObject() as DetailedPeerCertificate;
  legacy.issuerCertificate = issuer ?? legacy;
  return legacy;
}

describe(certificateFingerprint.name, () => {
  it('is the SHA-256 of the DER as lower-case hex without colons, matching Node', () => {
    const sut = certificateFingerprint(partner.certPem);
    expect(sut).toMatch(/^[0-9a-f]{64}$/);
    expect(sut).toBe(new X509Certificate(partner.certPem).fingerprint256.replace(/:/g, '').toLowerCase());
  });

  it('gives the same result for PEM and DER', () => {
    expect(certificateFingerprint(certificateDer(partner.certPem))).toBe(
      certificateFingerprint(partner.certPem),
    );
  });

  it('refuses text that is not a certificate', () => {
    expect(() => certificateFingerprint('hello')).toThrow(
      expect.objectContaining({ code: 'PKI.CERT_INVALID' }),
    );
  });
});

describe(identityFromPem.name, () => {
  it('reads OIN, organisation, common name and validity', () => {
    const sut = identityFromPem(partner.certPem);
    const cert = new X509Certificate(partner.certPem);
    expect(sut).toEqual({
      organisationIdentifier: '00000001003214345001',
      organisation: 'Koninklijke Marechaussee',
      commonName: 'kmar',
      fingerprint: certificateFingerprint(partner.certPem),
      issuerFingerprint: null,
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
    });
  });

  it('decodes UTF-8 organisation names', () => {
    const pair = issueCertificate(ca, { kind: 'client', commonName: 'z', organisation: 'Zorgcoördinatie' });
    expect(identityFromPem(pair.certPem).organisation).toBe('Zorgcoördinatie');
  });

  it('gives the issuer fingerprint when the given issuer signed the certificate', () => {
    expect(identityFromPem(partner.certPem, ca.certPem).issuerFingerprint).toBe(
      certificateFingerprint(ca.certPem),
    );
  });

  it('gives no issuer fingerprint when the given issuer did not sign it', () => {
    expect(identityFromPem(partner.certPem, otherCa.certPem).issuerFingerprint).toBeNull();
  });

  it('has no OIN when the subject carries none', () => {
    expect(identityFromPem(ca.certPem).organisationIdentifier).toBeNull();
  });
});

describe(identityFromPeerCertificate.name, () => {
  it('reads the identity and the issuing CA from a peer certificate chain', () => {
    const sut = identityFromPeerCertificate(peerOf(partner.certPem, peerOf(ca.certPem)));
    expect(sut.organisationIdentifier).toBe('00000001003214345001');
    expect(sut.fingerprint).toBe(certificateFingerprint(partner.certPem));
    expect(sut.issuerFingerprint).toBe(certificateFingerprint(ca.certPem));
  });

  it('gives no issuing CA for a self-issued peer whose issuerCertificate is itself', () => {
    const self = peerOf(ca.certPem);
    expect(self.issuerCertificate).toBe(self);
    expect(identityFromPeerCertificate(self).issuerFingerprint).toBeNull();
  });

  it('gives no issuing CA when the claimed issuer did not sign the peer certificate', () => {
    const sut = identityFromPeerCertificate(peerOf(partner.certPem, peerOf(otherCa.certPem)));
    expect(sut.issuerFingerprint).toBeNull();
  });

  it('refuses a peer without a certificate', () => {
    expect(() => identityFromPeerCertificate({} as DetailedPeerCertificate)).toThrow(
      expect.objectContaining({ code: 'PKI.NO_PEER_CERTIFICATE' }),
    );
  });
});
