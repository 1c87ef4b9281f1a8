import { X509Certificate } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { identityFromPem } from '@ketenpoort/pki';
import { TEST_PARTNERS, UNKNOWN_TEST_OIN, createTestPki } from './test-pki.js';

describe(createTestPki.name, () => {
  it('makes distinct CA, server, gateway client, other CA and partner certificates', () => {
    const sut = createTestPki();
    const all = [sut.ca, sut.otherCa, sut.gatewayServer, sut.registerServer, sut.gatewayClient];
    all.push(...TEST_PARTNERS.map((p) => sut.partners[p.id]));
    expect(new Set(all.map((pair) => new X509Certificate(pair.certPem).fingerprint256)).size).toBe(
      all.length,
    );
  });

  it('caches per process', () => {
    expect(createTestPki().ca).toBe(createTestPki().ca);
    expect(createTestPki().partners.kmar).toBe(createTestPki().partners.kmar);
  });

  it('issues partner certificates that its directory resolves', () => {
    const sut = createTestPki();
    for (const partner of TEST_PARTNERS) {
      const identity = identityFromPem(sut.partners[partner.id].certPem, sut.ca.certPem);
      expect(sut.directory().resolve(identity)?.id).toBe(partner.id);
    }
  });

  it('issues renewed certificates that resolve to the same partner', () => {
    const sut = createTestPki();
    const renewed = sut.renewedPartnerCert('kmar');
    expect(renewed.certPem).not.toBe(sut.partners.kmar.certPem);
    expect(sut.directory().resolve(identityFromPem(renewed.certPem, sut.ca.certPem))?.id).toBe('kmar');
  });

  it('issues the awkward certificates', () => {
    const sut = createTestPki();
    const now = Date.now();
    expect(Date.parse(new X509Certificate(sut.expiredPartnerCert('kmar').certPem).validTo)).toBeLessThan(now);
    expect(
      Date.parse(new X509Certificate(sut.notYetValidPartnerCert('kmar').certPem).validFrom),
    ).toBeGreaterThan(now);
    const unknown = identityFromPem(sut.unknownOinCert().certPem, sut.ca.certPem);
    expect(unknown.organisationIdentifier).toBe(UNKNOWN_TEST_OIN);
    expect(sut.directory().resolve(unknown)).toBeNull();
    const foreign = identityFromPem(sut.otherCaPartnerCert('kmar').certPem, sut.ca.certPem);
    expect(foreign.issuerFingerprint).toBeNull();
  });

  it('writes the dev layout with owner-only keys', () => {
    const paths = createTestPki().writeTo(mkdtempSync(join(tmpdir(), 'kp-testpki-')));
    expect(statSync(paths.caKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.partners.kmar.cert).mode & 0o777).toBe(0o644);
  });
});
