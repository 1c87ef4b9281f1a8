import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { REPORTER_TYPES, type ReporterType } from '@ketenpoort/signal-contract';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { PkiError } from './pki.error.js';

/** A CA whose client certificates the partner listener accepts (`cas.<name>` in partners.yaml). */
export interface TrustedCa {
  name: string;
  /** Path of the CA certificate (PEM); relative paths are relative to the data folder. */
  file: string;
  /** A development CA; refused outside the embedded dev mode. */
  dev: boolean;
}

/** A partner agency: identified by (oin, ca), never by anything in a signal body. */
export interface PartnerConfig {
  id: string;
  name: string;
  /** Organisation identifier (OIN, 20 digits) as carried in the certificate subject's serialNumber. */
  oin: string;
  /** Name of the TrustedCa that issues this partner's certificates. */
  ca: string;
  reporterType: ReporterType;
  purposes: string[];
  /** This partner's own limit; absent = the gateway-wide default. Governed with the rest of the table. */
  rateLimit?: PartnerRateLimit;
}

/** A token bucket: refills at `requestsPerSecond`, holds at most `burst` requests. */
export interface PartnerRateLimit {
  requestsPerSecond: number;
  burst: number;
}

export interface PartnersFile {
  cas: TrustedCa[];
  partners: PartnerConfig[];
}

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const OIN_PATTERN = /^\d{20}$/;
const PURPOSE_PATTERN = /^[a-z][a-z0-9-]*$/;
const PARTNER_KEYS = ['id', 'name', 'oin', 'ca', 'reporterType', 'purposes', 'rateLimit'];
const RATE_LIMIT_KEYS = ['requestsPerSecond', 'burst'];
const CA_KEYS = ['file', 'dev'];

/**
 * Reads and validates config/partners.yaml. Every problem is reported at once in a PkiError
 * `PKI.PARTNERS_INVALID` whose message names the file, line and path of each (`file:12 partners[2].oin: …`).
 *
 * @example
 * const { cas, partners } = loadPartnersFile('config/partners.yaml');
 */
export function loadPartnersFile(path: string): PartnersFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PkiError('PKI.PARTNERS_INVALID', `${path}: cannot read the partners file`);
  }
  return parsePartnersYaml(text, path);
}

/**
 * Validates partners YAML text; `source` names the file in error messages.
 *
 * @example
 * parsePartnersYaml('cas: {}\npartners: []\n', 'inline'); // { cas: [], partners: [] }
 */
export function parsePartnersYaml(text: string, source: string): PartnersFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw invalid(
      source,
      doc.errors.map((e) => ({
        line: lines.linePos(e.pos[0]).line,
        text: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const errors: string[] = [];
  const root = doc.toJS() as unknown;
  if (!isRecord(root)) {
    throw invalid(source, [
      { line: lineOf(doc, lines, ''), text: '(root): must be a mapping with cas and partners' },
    ]);
  }
  for (const key of Object.keys(root)) {
    if (key !== 'cas' && key !== 'partners') errors.push(`${key}: unknown key`);
  }
  const cas = readCas(root.cas, errors);
  const partners = readPartners(root.partners, new Set(cas.map((ca) => ca.name)), errors);
  if (errors.length > 0) {
    throw invalid(
      source,
      errors.map((text) => ({ line: lineOf(doc, lines, text.split(': ')[0]), text })),
    );
  }
  return { cas, partners };
}

function readCas(value: unknown, errors: string[]): TrustedCa[] {
  if (!isRecord(value)) {
    errors.push('cas: must be a mapping of CA name to { file, dev }');
    return [];
  }
  const cas: TrustedCa[] = [];
  for (const [name, entry] of Object.entries(value)) {
    const at = `cas.${name}`;
    if (!ID_PATTERN.test(name)) errors.push(`${at}: CA name must be lower-case letters, digits and dashes`);
    if (!isRecord(entry)) {
      errors.push(`${at}: must be a mapping with file and dev`);
      continue;
    }
    unknownKeys(entry, CA_KEYS, at, errors);
    if (typeof entry.file !== 'string' || entry.file.trim() === '') errors.push(`${at}.file: must be a path`);
    if (entry.dev !== undefined && typeof entry.dev !== 'boolean')
      errors.push(`${at}.dev: must be true or false`);
    cas.push({ name, file: String(entry.file ?? ''), dev: entry.dev === true });
  }
  return cas;
}

function readPartners(value: unknown, caNames: Set<string>, errors: string[]): PartnerConfig[] {
  if (!Array.isArray(value)) {
    errors.push('partners: must be a list');
    return [];
  }
  const partners: PartnerConfig[] = [];
  const ids = new Map<string, number>();
  const identities = new Map<string, number>();
  value.forEach((entry: unknown, index) => {
    const at = `partners[${index}]`;
    if (!isRecord(entry)) {
      errors.push(`${at}: must be a mapping`);
      return;
    }
    const before = errors.length;
    unknownKeys(entry, PARTNER_KEYS, at, errors);
    const { id, name, oin, ca, reporterType, purposes } = entry;
    const rateLimit = readRateLimit(entry.rateLimit, `${at}.rateLimit`, errors);
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      errors.push(`${at}.id: must be lower-case letters, digits and dashes`);
    }
    if (typeof name !== 'string' || name.trim() === '') errors.push(`${at}.name: must be a non-empty string`);
    if (typeof oin !== 'string' || !OIN_PATTERN.test(oin)) {
      errors.push(`${at}.oin: must be a quoted string of 20 digits (the OIN)`);
    }
    if (typeof ca !== 'string' || !caNames.has(ca))
      errors.push(`${at}.ca: must name one of cas (unknown CA)`);
    if (typeof reporterType !== 'string' || !(REPORTER_TYPES as readonly string[]).includes(reporterType)) {
      errors.push(`${at}.reporterType: unknown reporter type, expected one of ${REPORTER_TYPES.join(', ')}`);
    }
    if (!Array.isArray(purposes) || purposes.length === 0) {
      errors.push(`${at}.purposes: must be a non-empty list`);
    } else {
      purposes.forEach((purpose: unknown, i) => {
        if (typeof purpose !== 'string' || !PURPOSE_PATTERN.test(purpose)) {
          errors.push(`${at}.purposes[${i}]: must be a purpose id`);
        }
      });
      if (new Set(purposes).size !== purposes.length) errors.push(`${at}.purposes: duplicate purpose`);
    }
    if (typeof id === 'string') {
      const first = ids.get(id);
      if (first !== undefined) errors.push(`${at}.id: duplicate id '${id}' (also partners[${first}])`);
      else ids.set(id, index);
    }
    if (typeof oin === 'string' && typeof ca === 'string') {
      const key = `${oin}|${ca}`;
      const first = identities.get(key);
      if (first !== undefined) {
        errors.push(`${at}: duplicate (oin, ca) — partners[${first}] has the same OIN from the same CA`);
      } else identities.set(key, index);
    }
    if (errors.length === before) {
      partners.push({
        id: id as string,
        name: name as string,
        oin: oin as string,
        ca: ca as string,
        reporterType: reporterType as ReporterType,
        purposes: [...(purposes as string[])],
        // Only when set: a table without limits keeps the version (hash) it had before the field existed.
        ...(rateLimit ? { rateLimit } : {}),
      });
    }
  });
  return partners;
}

function readRateLimit(value: unknown, at: string, errors: string[]): PartnerRateLimit | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    errors.push(`${at}: must be a mapping with requestsPerSecond and burst`);
    return undefined;
  }
  unknownKeys(value, RATE_LIMIT_KEYS, at, errors);
  const { requestsPerSecond, burst } = value;
  if (
    typeof requestsPerSecond !== 'number' ||
    !Number.isFinite(requestsPerSecond) ||
    requestsPerSecond <= 0
  ) {
    errors.push(`${at}.requestsPerSecond: must be a number greater than 0`);
  }
  if (typeof burst !== 'number' || !Number.isSafeInteger(burst) || burst < 1) {
    errors.push(`${at}.burst: must be a whole number of at least 1`);
  }
  return { requestsPerSecond: requestsPerSecond as number, burst: burst as number };
}

/**
 * Reads the PEM of every trusted CA; relative `file` paths resolve against `baseDir` (the data folder).
 * PkiError `PKI.CA_FILE_MISSING` names the CA and path when a file cannot be read.
 *
 * @example
 * const caPems = readTrustedCaCertificates(partnersFile.cas, dataDir); // { dev: '-----BEGIN CERTIFICATE…' }
 */
export function readTrustedCaCertificates(cas: TrustedCa[], baseDir: string): Record<string, string> {
  const pems: Record<string, string> = {};
  for (const ca of cas) {
    const file = isAbsolute(ca.file) ? ca.file : resolve(baseDir, ca.file);
    try {
      pems[ca.name] = readFileSync(file, 'utf8');
    } catch {
      throw new PkiError('PKI.CA_FILE_MISSING', `CA '${ca.name}': cannot read ${file}`);
    }
  }
  return pems;
}

function unknownKeys(entry: Record<string, unknown>, allowed: string[], at: string, errors: string[]): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) errors.push(`${at}.${key}: unknown key`);
  }
}

function invalid(source: string, problems: { line: number; text: string }[]): PkiError {
  const lines = [...problems].sort((a, b) => a.line - b.line).map((p) => `${source}:${p.line} ${p.text}`);
  return new PkiError('PKI.PARTNERS_INVALID', `${source}: invalid partners file:\n  ${lines.join('\n  ')}`);
}

/**
 * 1-based line of `path` (`partners[2].rateLimit.burst`) in the document: of its key, or of the deepest
 * part of the path that exists (a missing key points at its mapping).
 */
function lineOf(doc: Document, lines: LineCounter, path: string): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const [, key, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (isMap(node) && key !== undefined) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && index !== undefined) {
      const item = node.items[Number(index)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? 1 : lines.linePos(offset).line;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
