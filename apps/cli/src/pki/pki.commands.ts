import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  PartnerDirectory,
  PkiError,
  certificateFingerprint,
  ensureDevPki,
  identityFromPem,
  issueCertificate,
  loadPartnersFile,
  partnerCertificateOptions,
  readDevCa,
  signCsr,
  writeCertificateFile,
  writePrivateKeyFile,
  type DevPkiPaths,
  type PartnersFile,
} from '@ketenpoort/pki';

export interface PkiCommandOptions {
  dataDir: string;
  partners: string;
}

export interface IssuedPartnerCertificate {
  partnerId: string;
  cert: string;
  key: string;
  fingerprint: string;
  notAfter: Date;
}

const defaultDataDir = () => process.env.KETENPOORT_DATA_DIR ?? './.data';
const DEFAULT_PARTNERS = 'config/partners.yaml';

/** Adds `pki init` and `pki issue` to the CLI. */
export function registerPkiCommands(program: Command): void {
  const pki = program.command('pki').description('development PKI: dev CA, server and partner certificates');

  pki
    .command('init')
    .description('create the dev CA and every missing certificate under <data-dir>/pki (idempotent)')
    .option('--data-dir <dir>', 'data folder (env KETENPOORT_DATA_DIR)', defaultDataDir())
    .option('--partners <file>', 'partners configuration', DEFAULT_PARTNERS)
    .action((opts: PkiCommandOptions) => {
      const paths = runPkiInit(opts);
      console.log(formatPaths(paths));
    });

  pki
    .command('issue')
    .description('issue an additional client certificate for a partner from the dev CA')
    .requiredOption('--partner <id>', 'partner id from the partners configuration')
    .option('--data-dir <dir>', 'data folder (env KETENPOORT_DATA_DIR)', defaultDataDir())
    .option('--partners <file>', 'partners configuration', DEFAULT_PARTNERS)
    .option('--out <dir>', 'output folder (default <data-dir>/pki/partners)')
    .action((opts: PkiCommandOptions & { partner: string; out?: string }) => {
      const issued = runPkiIssue(opts);
      console.log(
        [
          `Issued a client certificate for partner '${issued.partnerId}'`,
          `  certificate: ${issued.cert}`,
          `  private key: ${issued.key} (mode 0600)`,
          `  SHA-256:     ${issued.fingerprint}`,
          `  valid until: ${issued.notAfter.toISOString()}`,
        ].join('\n'),
      );
    });

  pki
    .command('sign-csr')
    .description("sign a partner's certificate request with the dev CA (the partner keeps its private key)")
    .requiredOption('--partner <id>', 'partner id from the partners configuration')
    .requiredOption('--csr <file>', 'certificate signing request (PEM)')
    .requiredOption('--out <file>', 'where to write the certificate (PEM)')
    .option('--valid-days <days>', 'validity in days', (value) => Number.parseInt(value, 10))
    .option('--data-dir <dir>', 'data folder (env KETENPOORT_DATA_DIR)', defaultDataDir())
    .option('--partners <file>', 'partners configuration', DEFAULT_PARTNERS)
    .action((opts: PkiCommandOptions & { partner: string; csr: string; out: string; validDays?: number }) => {
      const file = loadPartnersFile(opts.partners);
      const partner = devPartners(file).find((p) => p.id === opts.partner);
      if (!partner) {
        throw new PkiError(
          'PKI.PARTNER_UNKNOWN',
          `no partner '${opts.partner}' of a dev CA in ${opts.partners}`,
        );
      }
      const ca = readDevCa(resolve(opts.dataDir));
      const certPem = signCsr(ca, readFileSync(opts.csr, 'utf8'), { partner, validDays: opts.validDays });
      const resolved = new PartnerDirectory([partner], { [partner.ca]: ca.certPem }).resolve(
        identityFromPem(certPem, ca.certPem),
      );
      if (resolved?.id !== partner.id) {
        throw new PkiError(
          'PKI.ISSUE_INVALID',
          `the certificate does not resolve to partner '${partner.id}'`,
        );
      }
      writeCertificateFile(resolve(opts.out), certPem);
      console.log(
        `Signed the CSR of partner '${partner.id}': ${resolve(opts.out)} (SHA-256 ${certificateFingerprint(certPem)})`,
      );
    });
}

/**
 * `pki init`: ensureDevPki for the partners of dev CAs in the partners file.
 *
 * @example
 * runPkiInit({ dataDir: '.data', partners: 'config/partners.yaml' }).caCert; // '.data/pki/ca.crt'
 */
export function runPkiInit(opts: PkiCommandOptions): DevPkiPaths {
  const file = loadPartnersFile(opts.partners);
  return ensureDevPki(resolve(opts.dataDir), devPartners(file));
}

/**
 * `pki issue`: a new client certificate (new key, new serial) for one partner from the dev CA, written
 * next to the others as `<partnerId>.<timestamp>.crt/.key`. It is checked to resolve to that partner.
 *
 * @example
 * runPkiIssue({ dataDir: '.data', partners: 'config/partners.yaml', partner: 'kmar' }).cert;
 */
export function runPkiIssue(
  opts: PkiCommandOptions & { partner: string; out?: string },
): IssuedPartnerCertificate {
  const file = loadPartnersFile(opts.partners);
  const partner = file.partners.find((p) => p.id === opts.partner);
  if (!partner) {
    throw new PkiError('PKI.PARTNER_UNKNOWN', `no partner '${opts.partner}' in ${opts.partners}`);
  }
  if (!devPartners(file).includes(partner)) {
    throw new PkiError(
      'PKI.NOT_DEV_CA',
      `partner '${partner.id}' is configured for CA '${partner.ca}', which is not a dev CA; its certificates come from that CA`,
    );
  }
  const dataDir = resolve(opts.dataDir);
  const ca = readDevCa(dataDir);
  const pair = issueCertificate(ca, partnerCertificateOptions(partner));

  const directory = new PartnerDirectory([partner], { [partner.ca]: ca.certPem });
  const identity = identityFromPem(pair.certPem, ca.certPem);
  if (directory.resolve(identity)?.id !== partner.id) {
    throw new PkiError(
      'PKI.ISSUE_INVALID',
      `the new certificate does not resolve to partner '${partner.id}'`,
    );
  }

  const outDir = resolve(opts.out ?? join(dataDir, 'pki', 'partners'));
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = join(outDir, `${partner.id}.${stamp}.${identity.fingerprint.slice(0, 8)}`);
  writePrivateKeyFile(`${base}.key`, pair.keyPem);
  writeCertificateFile(`${base}.crt`, pair.certPem);
  return {
    partnerId: partner.id,
    cert: `${base}.crt`,
    key: `${base}.key`,
    fingerprint: certificateFingerprint(pair.certPem),
    notAfter: identity.notAfter,
  };
}

function devPartners(file: PartnersFile) {
  const devCas = new Set(file.cas.filter((ca) => ca.dev).map((ca) => ca.name));
  return file.partners.filter((p) => devCas.has(p.ca));
}

function formatPaths(paths: DevPkiPaths): string {
  const lines = [
    `Dev PKI under ${paths.dir}`,
    `  CA certificate:        ${paths.caCert}`,
    `  CA key:                ${paths.caKey}`,
    `  gateway server:        ${paths.gatewayServer.cert}`,
    `  register server:       ${paths.registerServer.cert}`,
    `  gateway client:        ${paths.gatewayClient.cert}`,
  ];
  for (const [id, pair] of Object.entries(paths.partners)) lines.push(`  partner ${id}: ${pair.cert}`);
  lines.push('Private keys sit next to their certificates as .key files (mode 0600).');
  return lines.join('\n');
}
