import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  certificateFingerprint,
  diffPartnerTables,
  parsePartnersYaml,
  PartnerDirectory,
  type PartnersFile,
  type PartnerTableDiff,
} from '@ketenpoort/pki';
import { parsePolicy, type Policy } from '@ketenpoort/policy';
import type { GovernedKind } from './governed-kind.js';
import { GatewayError } from '../common/gateway-error.js';

/** The partner table as governed: the YAML and the CA certificates it names, approved together. */
export interface PartnersDocument {
  partnersYaml: string;
  caCertificates: Record<string, string>;
}

export interface ParsedPartners {
  version: string;
  file: PartnersFile;
  directory: PartnerDirectory;
  caBundle: string[];
}

/** Parses a proposed policy; the version is the hash of its canonical content. */
export function parsePolicyDocument(content: string, source: string): Policy {
  try {
    return parsePolicy(content, source);
  } catch (error) {
    throw new GatewayError('GOVERNANCE.INVALID_DOCUMENT', 'the policy does not load', {
      problems: String((error as Error).message).split('\n'),
    });
  }
}

/** Parses a proposed partner table. Its version covers the partners and the fingerprints of their CAs. */
export function parsePartnersDocument(content: string, source: string): ParsedPartners {
  let document: PartnersDocument;
  let file: PartnersFile;
  try {
    document = JSON.parse(content) as PartnersDocument;
    file = parsePartnersYaml(document.partnersYaml, source);
  } catch (error) {
    throw new GatewayError('GOVERNANCE.INVALID_DOCUMENT', 'the partner table does not load', {
      problems: String((error as Error).message).split('\n'),
    });
  }
  const missing = file.cas.filter((ca) => !document.caCertificates?.[ca.name]).map((ca) => ca.name);
  if (missing.length) {
    throw new GatewayError(
      'GOVERNANCE.INVALID_DOCUMENT',
      'the partner table names CAs without certificates',
      {
        problems: missing.map((name) => `ca ${name}: no certificate`),
      },
    );
  }
  const canonical = canonicalize({
    partners: file.partners,
    cas: file.cas.map((ca) => ({
      name: ca.name,
      dev: ca.dev,
      fingerprint: certificateFingerprint(document.caCertificates[ca.name]),
    })),
  })!;
  const caCerts = Object.fromEntries(file.cas.map((ca) => [ca.name, document.caCertificates[ca.name]]));
  const directory = new PartnerDirectory(file.partners, caCerts);
  return {
    version: createHash('sha256').update(canonical).digest('hex'),
    file,
    directory,
    caBundle: directory.caBundle(),
  };
}

/**
 * What partner table `to` changes against `from` (the active one), per partner — rate limits included —
 * and per CA, a swapped CA certificate included.
 */
export function diffPartnersDocuments(from: string, to: string): PartnerTableDiff {
  const side = (content: string, source: string) => {
    const { file } = parsePartnersDocument(content, source);
    const { caCertificates } = JSON.parse(content) as PartnersDocument;
    const fingerprints = Object.fromEntries(
      file.cas.map((ca) => [ca.name, certificateFingerprint(caCertificates[ca.name])]),
    );
    return { file, fingerprints };
  };
  const a = side(from, 'active partner table');
  const b = side(to, 'proposed partner table');
  return diffPartnerTables(a.file, b.file, { from: a.fingerprints, to: b.fingerprints });
}

/** The version a proposed document would get, whatever its kind. */
export function versionOf(kind: GovernedKind, content: string, source: string): string {
  return kind === 'policy'
    ? parsePolicyDocument(content, source).version
    : parsePartnersDocument(content, source).version;
}
