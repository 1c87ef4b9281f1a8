import { beforeAll, describe, expect, it } from '@jest/globals';
import type { PemPair } from './certificate.builder.js';
import { certificateFingerprint } from './certificate-fingerprint.js';
import type { CertificateIdentity } from './certificate-identity.js';
import { createDevCa } from './dev-ca.js';
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
const kmarViaPkio: PartnerConfig = { ...kmar, id: 'kmar-pkio', ca: 'pkio' };

let dev: PemPair;
let pkio: PemPair;
let sut: PartnerDirectory;

beforeAll(() => {
  dev = createDevCa({ commonName: 'Directory spec dev CA' });
  pkio = createDevCa({ commonName: 'Directory spec second CA' });
  sut = new PartnerDirectory([kmar, kmarViaPkio], { dev: dev.certPem, pkio: pkio.certPem });
});

const identity = (oin: string | null, issuer: string | null): CertificateIdentity => ({
  organisationIdentifier: oin,
  organisation: null,
  commonName: null,
  fingerprint: 'f'.repeat(64),
  issuerFingerprint: issuer,
  notBefore: new Date(0),
  notAfter: new Date(0),
});

describe(PartnerDirectory.name, () => {
  it('resolves by OIN and issuing CA', () => {
    expect(sut.resolve(identity(kmar.oin, certificateFingerprint(dev.certPem)))?.id).toBe('kmar');
  });

  it('tells the same OIN apart by issuing CA', () => {
    expect(sut.resolve(identity(kmar.oin, certificateFingerprint(pkio.certPem)))?.id).toBe('kmar-pkio');
  });

  it('resolves an unknown OIN to null', () => {
    expect(sut.resolve(identity('00000001999999999999', certificateFingerprint(dev.certPem)))).toBeNull();
  });

  it('resolves an unknown issuer to null', () => {
    expect(sut.resolve(identity(kmar.oin, 'a'.repeat(64)))).toBeNull();
  });

  it('resolves a certificate without an issuer or OIN to null', () => {
    expect(sut.resolve(identity(kmar.oin, null))).toBeNull();
    expect(sut.resolve(identity(null, certificateFingerprint(dev.certPem)))).toBeNull();
  });

  it('finds partners by id', () => {
    expect(sut.byId('kmar')).toBe(kmar);
    expect(sut.byId('nobody')).toBeUndefined();
  });

  it('offers every trusted CA for the TLS ca option', () => {
    expect(sut.caBundle().sort()).toEqual([dev.certPem, pkio.certPem].sort());
  });

  it('refuses a partner whose CA has no certificate', () => {
    expect(() => new PartnerDirectory([kmar], {})).toThrow(
      expect.objectContaining({ code: 'PKI.CA_UNKNOWN' }),
    );
  });
});
