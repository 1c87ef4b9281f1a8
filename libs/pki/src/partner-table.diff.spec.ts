import { describe, expect, it } from '@jest/globals';
import { diffPartnerTables } from './partner-table.diff.js';
import type { PartnerConfig, PartnersFile } from './partners-file.loader.js';

const kmar: PartnerConfig = {
  id: 'kmar',
  name: 'Koninklijke Marechaussee',
  oin: '00000001003214345001',
  ca: 'dev',
  reporterType: 'kmar',
  purposes: ['registration', 'advice'],
};
const table = (...partners: PartnerConfig[]): PartnersFile => ({
  cas: [{ name: 'dev', file: 'pki/ca.crt', dev: true }],
  partners,
});

describe(diffPartnerTables.name, () => {
  it('shows a partner getting its own rate limit instead of the gateway default', () => {
    const sut = diffPartnerTables(
      table(kmar),
      table({ ...kmar, rateLimit: { requestsPerSecond: 0.5, burst: 3 } }),
    );
    expect(sut).toEqual({
      cas: [],
      partners: [{ id: 'kmar', status: 'changed', changes: ['rateLimit: gateway default → 0.5/s, burst 3'] }],
    });
  });

  it('shows a changed and a removed rate limit', () => {
    const before = table({ ...kmar, rateLimit: { requestsPerSecond: 5, burst: 10 } });
    expect(
      diffPartnerTables(before, table({ ...kmar, rateLimit: { requestsPerSecond: 5, burst: 20 } })).partners,
    ).toEqual([{ id: 'kmar', status: 'changed', changes: ['rateLimit: 5/s, burst 10 → 5/s, burst 20'] }]);
    expect(diffPartnerTables(before, table(kmar)).partners[0].changes).toEqual([
      'rateLimit: 5/s, burst 10 → gateway default',
    ]);
  });

  it('leaves out partners that do not change', () => {
    expect(diffPartnerTables(table(kmar), table({ ...kmar }))).toEqual({ cas: [], partners: [] });
  });

  it('lists what an added partner gets and names a removed one', () => {
    const police: PartnerConfig = {
      ...kmar,
      id: 'politie',
      oin: '00000001003214345000',
      reporterType: 'police',
    };
    const sut = diffPartnerTables(table(kmar), table(police));
    expect(sut.partners.map((p) => [p.id, p.status])).toEqual([
      ['kmar', 'removed'],
      ['politie', 'added'],
    ]);
    expect(sut.partners[1].changes).toContain('reporterType: — → police');
    expect(sut.partners[1].changes).toContain('rateLimit: — → gateway default');
  });

  it('shows changed purposes and reporter type', () => {
    const sut = diffPartnerTables(
      table(kmar),
      table({ ...kmar, reporterType: 'police', purposes: ['advice'] }),
    );
    expect(sut.partners[0].changes).toEqual([
      'reporterType: kmar → police',
      'purposes: [registration, advice] → [advice]',
    ]);
  });

  it('shows a swapped CA certificate when given the fingerprints', () => {
    const sut = diffPartnerTables(table(kmar), table(kmar), {
      from: { dev: 'aa11' },
      to: { dev: 'bb22' },
    });
    expect(sut.cas).toEqual([{ id: 'dev', status: 'changed', changes: ['certificate: aa11 → bb22'] }]);
  });
});
