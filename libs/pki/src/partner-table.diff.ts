import type { PartnerConfig, PartnerRateLimit, PartnersFile, TrustedCa } from './partners-file.loader.js';

/** What a change does to one partner or CA: each entry of `changes` reads `field: before → after`. */
export interface PartnerTableChange {
  id: string;
  status: 'added' | 'removed' | 'changed';
  changes: string[];
}

/** The differences between two partner tables; unchanged partners and CAs are left out. */
export interface PartnerTableDiff {
  cas: PartnerTableChange[];
  partners: PartnerTableChange[];
}

const GATEWAY_DEFAULT = 'gateway default';

const rateText = (limit: PartnerRateLimit | undefined) =>
  limit ? `${limit.requestsPerSecond}/s, burst ${limit.burst}` : GATEWAY_DEFAULT;

function partnerFacts(partner: PartnerConfig): Record<string, string> {
  return {
    name: partner.name,
    oin: partner.oin,
    ca: partner.ca,
    reporterType: partner.reporterType,
    purposes: `[${partner.purposes.join(', ')}]`,
    rateLimit: rateText(partner.rateLimit),
  };
}

const caFacts =
  (fingerprints: Record<string, string> = {}) =>
  (ca: TrustedCa): Record<string, string> => ({
    file: ca.file,
    dev: String(ca.dev),
    ...(fingerprints[ca.name] ? { certificate: fingerprints[ca.name] } : {}),
  });

function diffById<T>(
  before: readonly T[],
  after: readonly T[],
  idOf: (item: T) => string,
  factsBefore: (item: T) => Record<string, string>,
  factsAfter = factsBefore,
): PartnerTableChange[] {
  const ids = [...new Set([...before.map(idOf), ...after.map(idOf)])];
  const result: PartnerTableChange[] = [];
  for (const id of ids) {
    const a = before.find((item) => idOf(item) === id);
    const b = after.find((item) => idOf(item) === id);
    const from = a ? factsBefore(a) : {};
    const to = b ? factsAfter(b) : {};
    const changes = [...new Set([...Object.keys(from), ...Object.keys(to)])]
      .filter((key) => from[key] !== to[key])
      .map((key) => `${key}: ${from[key] ?? '—'} → ${to[key] ?? '—'}`);
    const status = !a ? 'added' : !b ? 'removed' : 'changed';
    if (status !== 'changed' || changes.length) result.push({ id, status, changes });
  }
  return result;
}

/**
 * What a change from partner table `a` to `b` does, per partner (identity, reporter type, purposes, rate
 * limit) and per trusted CA — for the reviewer who approves it. A partner without its own rate limit reads
 * `gateway default`. With the CA certificates' fingerprints (by CA name), a swapped certificate shows too.
 *
 * @example diffPartnerTables(active, proposed).partners // [{ id: 'kmar', status: 'changed', changes: ['rateLimit: gateway default → 2/s, burst 5'] }]
 */
export function diffPartnerTables(
  a: PartnersFile,
  b: PartnersFile,
  caFingerprints: { from?: Record<string, string>; to?: Record<string, string> } = {},
): PartnerTableDiff {
  return {
    cas: diffById(a.cas, b.cas, (ca) => ca.name, caFacts(caFingerprints.from), caFacts(caFingerprints.to)),
    partners: diffById(a.partners, b.partners, (p) => p.id, partnerFacts),
  };
}
