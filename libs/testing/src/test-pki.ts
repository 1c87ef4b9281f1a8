import {
  DEV_CA_ORGANISATION,
  PartnerDirectory,
  createDevCa,
  devPkiPaths,
  issueCertificate,
  partnerCertificateOptions,
  writeCertificateFile,
  writePrivateKeyFile,
  type DevPkiPaths,
  type IssueCertificateOptions,
  type PartnerConfig,
  type PemPair,
} from '@ketenpoort/pki';

/** Name of the test CA in partner configs (as `cas.dev` in config/partners.yaml). */
export const TEST_CA_NAME = 'dev';

/** Partners the fixture issues certificates for by default (a subset of config/partners.yaml). */
export const TEST_PARTNERS: readonly PartnerConfig[] = [
  {
    id: 'politie-oost-brabant',
    name: 'Politie Eenheid Oost-Brabant',
    oin: '00000001003214345000',
    ca: TEST_CA_NAME,
    reporterType: 'police',
    purposes: ['registration', 'shelter-placement', 'advice'],
  },
  {
    id: 'kmar',
    name: 'Koninklijke Marechaussee',
    oin: '00000001003214345001',
    ca: TEST_CA_NAME,
    reporterType: 'kmar',
    purposes: ['registration', 'shelter-placement', 'advice'],
  },
  {
    id: 'zorgcoordinator-brabant',
    name: 'Zorgcoördinatie Mensenhandel Brabant',
    oin: '00000001003214345003',
    ca: TEST_CA_NAME,
    reporterType: 'care-coordinator',
    purposes: ['registration', 'shelter-placement', 'advice'],
  },
];

/** An OIN no test partner has. */
export const UNKNOWN_TEST_OIN = '00000001999999999999';

/** Certificates for tests, made in memory with the real PKI code; each is created on first use. */
export interface TestPki {
  /** The trusted (dev) CA. */
  readonly ca: PemPair;
  /** A second, unrelated CA nobody trusts. */
  readonly otherCa: PemPair;
  /** Server certificates: SAN localhost + 127.0.0.1. */
  readonly gatewayServer: PemPair;
  readonly registerServer: PemPair;
  /** The gateway's client certificate for forwarding to the register. */
  readonly gatewayClient: PemPair;
  /** Partner configs of the list given to createTestPki. */
  readonly partnerConfigs: PartnerConfig[];
  /** Client certificate per partner id of that list (CN = id, O = name, serialNumber = OIN). */
  readonly partners: Readonly<Record<string, PemPair>>;
  /** `{ dev: ca.certPem }` — the trusted CAs by name, as PartnerDirectory wants them. */
  readonly caCertsByName: Record<string, string>;
  /** A PartnerDirectory over partnerConfigs trusting `ca`. */
  directory(): PartnerDirectory;
  /** A new certificate (new key, new serial) for the same partner — a renewal or a second certificate. */
  renewedPartnerCert(partnerId: string): PemPair;
  /** A partner certificate whose validity ended yesterday. */
  expiredPartnerCert(partnerId: string): PemPair;
  /** A partner certificate valid from tomorrow. */
  notYetValidPartnerCert(partnerId: string): PemPair;
  /** A client certificate of the trusted CA whose OIN belongs to no partner. */
  unknownOinCert(): PemPair;
  /** A certificate with a partner's exact subject, issued by the other (untrusted) CA. */
  otherCaPartnerCert(partnerId: string): PemPair;
  /** Any certificate from the trusted CA, or from the other CA. */
  issue(opts: IssueCertificateOptions, from?: 'ca' | 'otherCa'): PemPair;
  /** Writes CA, server, gateway client and partner certificates in the dev layout under `<dataDir>/pki`. */
  writeTo(dataDir: string): DevPkiPaths;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// RSA keygen costs ~0.3-0.6 s per key: everything made once per process (per jest test file).
const cache = new Map<string, PemPair>();

function once(key: string, make: () => PemPair): PemPair {
  let pair = cache.get(key);
  if (!pair) {
    pair = make();
    cache.set(key, pair);
  }
  return pair;
}

/**
 * Test PKI for real TLS sockets: a trusted CA, server and client certificates, partner certificates
 * and the awkward ones (expired, not yet valid, unknown OIN, other CA). Cached per process.
 *
 * @example
 * const pki = createTestPki();
 * https.createServer({ ...serverOptions(pki.gatewayServer), ca: pki.ca.certPem, requestCert: true });
 * request({ cert: pki.partners.kmar.certPem, key: pki.partners.kmar.keyPem, ca: pki.ca.certPem });
 */
export function createTestPki(partners: readonly PartnerConfig[] = TEST_PARTNERS): TestPki {
  const partnerConfigs = partners.map((p) => ({ ...p, purposes: [...p.purposes] }));
  const partnerById = (id: string): PartnerConfig => {
    const partner = partnerConfigs.find((p) => p.id === id);
    if (!partner) throw new Error(`createTestPki: no test partner '${id}'`);
    return partner;
  };
  const ca = () => once('ca', () => createDevCa({ commonName: 'Ketenpoort test CA' }));
  const otherCa = () => once('otherCa', () => createDevCa({ commonName: 'Ketenpoort other test CA' }));
  const partnerCert = (partner: PartnerConfig) =>
    once(`partner|${partner.id}|${partner.name}|${partner.oin}`, () =>
      issueCertificate(ca(), partnerCertificateOptions(partner)),
    );

  const partnersRecord: Record<string, PemPair> = {};
  for (const partner of partnerConfigs) {
    Object.defineProperty(partnersRecord, partner.id, { enumerable: true, get: () => partnerCert(partner) });
  }

  const pki: TestPki = {
    get ca() {
      return ca();
    },
    get otherCa() {
      return otherCa();
    },
    get gatewayServer() {
      return once('gatewayServer', () =>
        issueCertificate(ca(), { kind: 'server', commonName: 'gateway', organisation: DEV_CA_ORGANISATION }),
      );
    },
    get registerServer() {
      return once('registerServer', () =>
        issueCertificate(ca(), { kind: 'server', commonName: 'register', organisation: DEV_CA_ORGANISATION }),
      );
    },
    get gatewayClient() {
      return once('gatewayClient', () =>
        issueCertificate(ca(), { kind: 'client', commonName: 'gateway', organisation: DEV_CA_ORGANISATION }),
      );
    },
    partnerConfigs,
    partners: partnersRecord,
    get caCertsByName() {
      return { [TEST_CA_NAME]: ca().certPem };
    },
    directory: () => new PartnerDirectory(partnerConfigs, { [TEST_CA_NAME]: ca().certPem }),
    renewedPartnerCert: (id) => issueCertificate(ca(), partnerCertificateOptions(partnerById(id))),
    expiredPartnerCert: (id) =>
      once(`expired|${id}`, () =>
        issueCertificate(ca(), {
          ...partnerCertificateOptions(partnerById(id)),
          notBefore: new Date(Date.now() - 30 * DAY_MS),
          notAfter: new Date(Date.now() - DAY_MS),
        }),
      ),
    notYetValidPartnerCert: (id) =>
      once(`notYetValid|${id}`, () =>
        issueCertificate(ca(), {
          ...partnerCertificateOptions(partnerById(id)),
          notBefore: new Date(Date.now() + DAY_MS),
          notAfter: new Date(Date.now() + 30 * DAY_MS),
        }),
      ),
    unknownOinCert: () =>
      once('unknownOin', () =>
        issueCertificate(ca(), {
          kind: 'client',
          commonName: 'unknown-agency',
          organisation: 'Unknown Agency',
          organisationIdentifier: UNKNOWN_TEST_OIN,
        }),
      ),
    otherCaPartnerCert: (id) =>
      once(`otherCa|${id}`, () => issueCertificate(otherCa(), partnerCertificateOptions(partnerById(id)))),
    issue: (opts, from = 'ca') => issueCertificate(from === 'ca' ? ca() : otherCa(), opts),
    writeTo: (dataDir) => {
      const paths = devPkiPaths(dataDir, partnerConfigs);
      const write = (files: { cert: string; key: string }, pair: PemPair) => {
        writePrivateKeyFile(files.key, pair.keyPem);
        writeCertificateFile(files.cert, pair.certPem);
      };
      write({ cert: paths.caCert, key: paths.caKey }, pki.ca);
      write(paths.gatewayServer, pki.gatewayServer);
      write(paths.registerServer, pki.registerServer);
      write(paths.gatewayClient, pki.gatewayClient);
      for (const partner of partnerConfigs) write(paths.partners[partner.id], partnerCert(partner));
      return paths;
    },
  };
  return pki;
}
