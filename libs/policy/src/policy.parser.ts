import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import {
  REPORTER_TYPES,
  SIGNAL_FIELDS,
  SPECIAL_CATEGORY_FIELDS,
  type ReporterType,
  type SignalField,
} from '@ketenpoort/signal-contract';
import { isRetention } from './age-at-report.js';
import {
  GDPR_ARTICLES,
  SECTOR_ROUTES,
  legalBasisFromText,
  legalBasisText,
  type GdprArticle,
  type LegalBasis,
  type SectorRoute,
} from './legal-ground.js';
import { PolicyError, type PolicyProblem } from './policy.error.js';
import { checkPolicy } from './policy.linter.js';
import {
  DERIVED_OUTPUTS,
  FIELD_CATEGORIES,
  GENERALISERS,
  NOT_PERMITTED,
  POLICY_FORMAT,
  SINGLE_FIELD_TOKEN_KINDS,
  type DerivedOutput,
  type FieldCategory,
  type FieldOutput,
  type Policy,
  type PurposeGround,
  type PurposePolicy,
} from './policy.model.js';

const PURPOSE_ID = /^[a-z][a-z0-9-]{0,63}$/;
const ROOT_KEYS = ['format', 'destination', 'ageBands', 'categories', 'purposes'];
const PURPOSE_KEYS = [
  'id',
  'description',
  'processingActivity',
  'dossierType',
  'retention',
  'grounds',
  'fields',
  'derived',
];
const GROUND_KEYS = ['legalGround', 'ground', 'consent'];
const BASIS_KEYS = ['route', 'gdpr', 'law', 'authority'];
const MASK_KEYS = ['first', 'last'];

type Entry = { key: string; value: Node | null; line: number };

/** Walks the YAML syntax tree (not the plain JS value) so every problem can name its line. */
class PolicyReader {
  readonly problems: PolicyProblem[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  line(node: Node | null | undefined, fallback = 1): number {
    const offset = node?.range?.[0];
    return offset === undefined ? fallback : this.lines.linePos(offset).line;
  }

  problem(line: number, path: string, message: string): void {
    this.problems.push({ line, path, message });
  }

  resolve(node: Node | null | undefined): Node | null {
    if (node && isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node ?? null;
  }

  entries(node: Node | null, path: string, line: number, allowed?: readonly string[]): Entry[] | null {
    const resolved = this.resolve(node);
    if (!resolved || !isMap(resolved)) {
      this.problem(this.line(resolved, line), path, 'must be a mapping');
      return null;
    }
    const out: Entry[] = [];
    for (const pair of resolved.items) {
      const keyNode = pair.key as Node | null;
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : '';
      const entryLine = this.line(keyNode, this.line(resolved, line));
      const entryPath = path ? `${path}.${key}` : key;
      if (allowed && !allowed.includes(key)) {
        this.problem(entryLine, entryPath, `unknown key (expected one of ${allowed.join(', ')})`);
        continue;
      }
      out.push({ key, value: this.resolve(pair.value as Node | null), line: entryLine });
    }
    return out;
  }

  string(entry: Entry | undefined, path: string, line: number): string | null {
    if (!entry) {
      this.problem(line, path, 'is required');
      return null;
    }
    const node = entry.value;
    if (!node || !isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      this.problem(this.line(node, entry.line), path, 'must be a non-empty string');
      return null;
    }
    return node.value;
  }

  /** Scalars of a sequence (or one scalar) as strings; null (with a problem) for anything else. */
  scalars(node: Node | null, path: string, line: number): string[] | null {
    const items = node && isSeq(node) ? node.items.map((item) => this.resolve(item as Node)) : [node];
    const values = items.map((item) =>
      item && isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')
        ? String(item.value)
        : null,
    );
    if (values.some((value) => value === null)) {
      this.problem(this.line(node, line), path, 'must be a value or a list of values');
      return null;
    }
    return values as string[];
  }
}

const byKey = (entries: Entry[]) => new Map(entries.map((entry) => [entry.key, entry]));
const scalarText = (node: Node | null | undefined): string =>
  node && isScalar(node) ? String(node.value) : '';

function readOutput(reader: PolicyReader, node: Node | null, path: string, line: number): FieldOutput | null {
  if (node && isScalar(node) && typeof node.value === 'string') {
    if (node.value === 'forward' || node.value === 'pseudonymise' || node.value === 'drop') {
      return { action: node.value };
    }
    reader.problem(reader.line(node, line), path, `unknown output '${node.value}'`);
    return null;
  }
  if (node && isMap(node) && node.items.length === 1) {
    const [entry] = reader.entries(node, path, line) ?? [];
    if (entry?.key === 'mask') return readMask(reader, entry, path);
    const value = scalarText(entry?.value);
    if (entry?.key === 'generalise' && value in GENERALISERS) {
      return { action: 'generalise', to: value as keyof typeof GENERALISERS };
    }
    if (entry?.key === 'pseudonymise' && value in SINGLE_FIELD_TOKEN_KINDS) {
      return { action: 'pseudonymise', kind: value as keyof typeof SINGLE_FIELD_TOKEN_KINDS };
    }
    const known =
      entry?.key === 'generalise'
        ? Object.keys(GENERALISERS)
        : entry?.key === 'pseudonymise'
          ? Object.keys(SINGLE_FIELD_TOKEN_KINDS)
          : null;
    reader.problem(
      entry?.line ?? line,
      path,
      known
        ? `unknown ${entry!.key} '${value}' (expected ${known.join(', ')})`
        : `unknown output '${entry?.key}'`,
    );
    return null;
  }
  reader.problem(
    reader.line(node, line),
    path,
    'must be forward, pseudonymise, drop, { pseudonymise: <kind> }, { generalise: <generaliser> }, ' +
      '{ mask: { first: <n>, last: <n> } } or a list of these',
  );
  return null;
}

/** `{ mask: { first: 2, last: 0 } }`: the numbers are checked by the linter (bad parameters name the place). */
function readMask(reader: PolicyReader, entry: Entry, path: string): FieldOutput | null {
  const parts = reader.entries(entry.value, `${path}.mask`, entry.line, MASK_KEYS);
  if (!parts) return null;
  const map = byKey(parts);
  const number = (key: string) => {
    const node = map.get(key)?.value;
    if (!map.has(key)) return 0;
    return node && isScalar(node) && typeof node.value === 'number' ? node.value : Number.NaN;
  };
  return { action: 'mask', first: number('first'), last: number('last') };
}

function readFields(
  reader: PolicyReader,
  node: Node | null,
  path: string,
  line: number,
): { fields: Partial<Record<SignalField, FieldOutput[]>>; lines: Partial<Record<SignalField, number>> } {
  const fields: Partial<Record<SignalField, FieldOutput[]>> = {};
  const lines: Partial<Record<SignalField, number>> = {};
  for (const entry of reader.entries(node, path, line) ?? []) {
    const fieldPath = `${path}.${entry.key}`;
    if (!(SIGNAL_FIELDS as readonly string[]).includes(entry.key)) {
      reader.problem(entry.line, fieldPath, 'not a field of signal v1');
      continue;
    }
    const field = entry.key as SignalField;
    const items = entry.value && isSeq(entry.value) ? entry.value.items : [entry.value];
    if (items.length === 0) {
      reader.problem(entry.line, fieldPath, 'names no output (write drop)');
      continue;
    }
    const outputs = items.map((item) =>
      readOutput(reader, reader.resolve(item as Node), fieldPath, entry.line),
    );
    if (outputs.some((output) => output === null)) continue;
    fields[field] = outputs as FieldOutput[];
    lines[field] = entry.line;
  }
  return { fields, lines };
}

function readBasis(reader: PolicyReader, node: Node | null, path: string, line: number): LegalBasis | null {
  const parts = reader.entries(node, path, line, BASIS_KEYS);
  if (!parts) return null;
  const map = byKey(parts);
  let ok = true;
  const basis: { route?: SectorRoute; gdpr: GdprArticle[]; law?: string; authority?: string } = { gdpr: [] };
  const route = map.get('route');
  if (route) {
    const value = scalarText(route.value);
    if (value in SECTOR_ROUTES) basis.route = value as SectorRoute;
    else {
      reader.problem(
        route.line,
        `${path}.route`,
        `unknown sector route '${value}' (expected ${Object.keys(SECTOR_ROUTES).join(', ')})`,
      );
      ok = false;
    }
  }
  const gdpr = map.get('gdpr');
  if (gdpr) {
    for (const article of reader.scalars(gdpr.value, `${path}.gdpr`, gdpr.line) ?? []) {
      const normal = article.replace(/^art(?:\.|ikel)?\s*/i, '').replace(/\s+/g, '');
      if ((GDPR_ARTICLES as readonly string[]).includes(normal)) basis.gdpr.push(normal as GdprArticle);
      else {
        reader.problem(
          gdpr.line,
          `${path}.gdpr`,
          `unknown GDPR article '${article}' (expected 6(1)(a)-(f), 9(2)(a)-(j) or 10)`,
        );
        ok = false;
      }
    }
  }
  for (const key of ['law', 'authority'] as const) {
    if (map.has(key)) {
      const text = reader.string(map.get(key), `${path}.${key}`, line);
      if (text === null) ok = false;
      else basis[key] = text;
    }
  }
  return ok ? basis : null;
}

function readGrounds(
  reader: PolicyReader,
  node: Node | null,
  path: string,
  line: number,
): {
  grounds: Partial<Record<ReporterType, PurposeGround | typeof NOT_PERMITTED>>;
  lines: Partial<Record<ReporterType, number>>;
} {
  const grounds: Partial<Record<ReporterType, PurposeGround | typeof NOT_PERMITTED>> = {};
  const lines: Partial<Record<ReporterType, number>> = {};
  for (const entry of reader.entries(node, path, line, REPORTER_TYPES) ?? []) {
    const groundPath = `${path}.${entry.key}`;
    const type = entry.key as ReporterType;
    lines[type] = entry.line;
    if (entry.value && isScalar(entry.value) && entry.value.value === NOT_PERMITTED) {
      grounds[type] = NOT_PERMITTED;
      continue;
    }
    const parts = reader.entries(entry.value, groundPath, entry.line, GROUND_KEYS);
    if (!parts) continue;
    const map = byKey(parts);
    let ground: { legalGround: string; basis?: LegalBasis } | null = null;
    if (map.has('legalGround') && map.has('ground')) {
      reader.problem(
        entry.line,
        groundPath,
        'write either legalGround (text) or ground (structured), not both',
      );
    } else if (map.has('ground')) {
      const basisEntry = map.get('ground')!;
      const basis = readBasis(reader, basisEntry.value, `${groundPath}.ground`, basisEntry.line);
      if (basis) ground = { legalGround: legalBasisText(basis), basis };
    } else {
      // Format 1's text form: the articles and route it cites are read from the text.
      const text = reader.string(map.get('legalGround'), `${groundPath}.legalGround`, entry.line);
      if (text !== null) {
        const basis = legalBasisFromText(text);
        ground = { legalGround: text, ...(basis ? { basis } : {}) };
      }
    }
    const consent = map.get('consent');
    const consentValue = consent?.value && isScalar(consent.value) ? consent.value.value : undefined;
    if (consentValue !== 'none' && consentValue !== 'required') {
      reader.problem(consent?.line ?? entry.line, `${groundPath}.consent`, 'must be none or required');
      continue;
    }
    if (ground !== null) grounds[type] = { ...ground, consent: consentValue };
  }
  const groundsLine = reader.line(node, line);
  for (const type of REPORTER_TYPES) {
    if (!(type in grounds) && !reader.problems.some((p) => p.path.startsWith(`${path}.${type}`))) {
      reader.problem(
        groundsLine,
        `${path}.${type}`,
        `no ground for reporter type ${type} (write one, or '${NOT_PERMITTED}')`,
      );
    }
  }
  return { grounds, lines };
}

function readDerived(reader: PolicyReader, entry: Entry, path: string): DerivedOutput[] {
  const derived: DerivedOutput[] = [];
  for (const id of reader.scalars(entry.value, path, entry.line) ?? []) {
    if (id in DERIVED_OUTPUTS) derived.push(id as DerivedOutput);
    else {
      reader.problem(
        entry.line,
        path,
        `unknown derived output '${id}' (expected ${Object.keys(DERIVED_OUTPUTS).join(', ')})`,
      );
    }
  }
  return derived;
}

function readPurpose(
  reader: PolicyReader,
  node: Node | null,
  path: string,
  line: number,
): PurposePolicy | null {
  const purposeLine = reader.line(node, line);
  const entries = reader.entries(node, path, line, PURPOSE_KEYS);
  if (!entries) return null;
  const map = byKey(entries);
  const id = reader.string(map.get('id'), `${path}.id`, purposeLine);
  if (id !== null && !PURPOSE_ID.test(id)) {
    reader.problem(map.get('id')!.line, `${path}.id`, 'must be a lower-case purpose id');
  }
  const description = reader.string(map.get('description'), `${path}.description`, purposeLine);
  const processingActivity = reader.string(
    map.get('processingActivity'),
    `${path}.processingActivity`,
    purposeLine,
  );
  const dossierType = reader.string(map.get('dossierType'), `${path}.dossierType`, purposeLine);
  const retention = reader.string(map.get('retention'), `${path}.retention`, purposeLine);
  if (retention !== null && !isRetention(retention)) {
    reader.problem(
      map.get('retention')!.line,
      `${path}.retention`,
      'must be an ISO 8601 duration such as P10Y',
    );
  }
  const groundsEntry = map.get('grounds');
  const { grounds, lines: groundLines } = groundsEntry
    ? readGrounds(reader, groundsEntry.value, `${path}.grounds`, groundsEntry.line)
    : (reader.problem(purposeLine, `${path}.grounds`, 'is required'), { grounds: {}, lines: {} });
  const fieldsEntry = map.get('fields');
  const { fields, lines } = fieldsEntry
    ? readFields(reader, fieldsEntry.value, `${path}.fields`, fieldsEntry.line)
    : (reader.problem(purposeLine, `${path}.fields`, 'is required'), { fields: {}, lines: {} });
  const derivedEntry = map.get('derived');
  const derived = derivedEntry ? readDerived(reader, derivedEntry, `${path}.derived`) : undefined;

  if ([id, description, processingActivity, dossierType, retention].some((value) => value === null))
    return null;
  return {
    id: id!,
    description: description!,
    processingActivity: processingActivity!,
    dossierType: dossierType!,
    retention: retention!,
    grounds: grounds as PurposePolicy['grounds'],
    fields,
    ...(derived ? { derived } : {}),
    line: purposeLine,
    lines: { fields: lines, grounds: groundLines, ...(derivedEntry ? { derived: derivedEntry.line } : {}) },
  };
}

function readCategories(
  reader: PolicyReader,
  entry: Entry | undefined,
): Partial<Record<SignalField, FieldCategory[]>> {
  const categories: Partial<Record<SignalField, FieldCategory[]>> = {};
  for (const field of SPECIAL_CATEGORY_FIELDS) categories[field] = ['special-category'];
  if (!entry) return categories;
  for (const item of reader.entries(entry.value, 'categories', entry.line) ?? []) {
    const path = `categories.${item.key}`;
    if (!(SIGNAL_FIELDS as readonly string[]).includes(item.key)) {
      reader.problem(item.line, path, 'not a field of signal v1');
      continue;
    }
    const field = item.key as SignalField;
    for (const category of reader.scalars(item.value, path, item.line) ?? []) {
      if (!(FIELD_CATEGORIES as readonly string[]).includes(category)) {
        reader.problem(
          item.line,
          path,
          `unknown category '${category}' (expected ${FIELD_CATEGORIES.join(', ')})`,
        );
        continue;
      }
      const list = (categories[field] ??= []);
      if (!list.includes(category as FieldCategory)) list.push(category as FieldCategory);
    }
  }
  return categories;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Formats policy problems one per line as `<source>:<line> <path>: <message>`.
 *
 * @example formatPolicyProblems('register.yaml', problems) // 'register.yaml:12 purposes[0].fields.x: …'
 */
export function formatPolicyProblems(source: string, problems: readonly PolicyProblem[]): string {
  return [...problems]
    .sort((a, b) => a.line - b.line)
    .map((p) => `${source}:${p.line}${p.path ? ` ${p.path}` : ''}: ${p.message}`)
    .join('\n');
}

/**
 * Parses and checks a field policy. Refuses, with `POLICY.INVALID` and a message naming file, line and
 * path of every problem, anything the linter refuses (see `checkPolicy`): a field signal v1 does not have,
 * a direct identifier forwarded or masked, special-category data without an art. 9 ground, criminal-offence
 * data without an art. 10 ground, a reporter type without a ground, an output with bad parameters.
 *
 * @example parsePolicy(readFileSync(path, 'utf8'), path).version // 'c0ffee…' (hex SHA-256)
 */
export function parsePolicy(yamlText: string, source: string): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const reader = new PolicyReader(doc, lines);
  for (const error of doc.errors) {
    reader.problem(lines.linePos(error.pos[0]).line, '', error.message.split('\n')[0]);
  }
  let policy: Policy | null = null;
  if (!doc.errors.length) policy = readPolicy(reader, doc, source);
  if (policy) reader.problems.push(...checkPolicy(policy));
  if (reader.problems.length || !policy) {
    const problems = [...reader.problems].sort((a, b) => a.line - b.line);
    throw new PolicyError(
      'POLICY.INVALID',
      formatPolicyProblems(source, problems),
      problems[0]?.path,
      problems,
    );
  }
  return deepFreeze(policy);
}

function readPolicy(reader: PolicyReader, doc: Document, source: string): Policy | null {
  const root = doc.contents as Node | null;
  const entries = reader.entries(root, '', 1, ROOT_KEYS);
  if (!entries) return null;
  const map = byKey(entries);

  const format = map.get('format');
  if (!format?.value || !isScalar(format.value) || format.value.value !== POLICY_FORMAT) {
    reader.problem(format?.line ?? 1, 'format', `must be ${POLICY_FORMAT}`);
  }
  const destination = reader.string(map.get('destination'), 'destination', 1);

  const bandsEntry = map.get('ageBands');
  const bands =
    bandsEntry?.value && isSeq(bandsEntry.value)
      ? bandsEntry.value.items.map((item) => (isScalar(item) ? item.value : null))
      : [];
  const validBands =
    bands.length > 0 &&
    bands.every(
      (edge, i) => Number.isInteger(edge) && (i === 0 || (edge as number) > (bands[i - 1] as number)),
    );
  if (!validBands || bands[0] !== 18) {
    reader.problem(
      bandsEntry?.line ?? 1,
      'ageBands',
      'must be ascending whole years starting at 18, e.g. [18, 23]',
    );
  }
  const categories = readCategories(reader, map.get('categories'));

  const purposesEntry = map.get('purposes');
  const purposes: PurposePolicy[] = [];
  if (!purposesEntry?.value || !isSeq(purposesEntry.value) || purposesEntry.value.items.length === 0) {
    reader.problem(purposesEntry?.line ?? 1, 'purposes', 'must be a non-empty list');
  } else {
    purposesEntry.value.items.forEach((item, i) => {
      const purpose = readPurpose(reader, reader.resolve(item as Node), `purposes[${i}]`, purposesEntry.line);
      if (!purpose) return;
      if (purposes.some((other) => other.id === purpose.id)) {
        reader.problem(purpose.line, `purposes[${i}].id`, `purpose '${purpose.id}' is defined twice`);
      }
      purposes.push(purpose);
    });
  }
  if (destination === null) return null;
  const version = createHash('sha256')
    .update(canonicalize(doc.toJS()) ?? '', 'utf8')
    .digest('hex');
  return {
    version,
    format: POLICY_FORMAT,
    destination,
    source,
    ageBands: bands as number[],
    purposes,
    categories,
  };
}

/**
 * Reads and parses a policy file; the file path is the `source` named in error messages.
 *
 * @example loadPolicyFile('config/policies/register.yaml').purposes.map((p) => p.id)
 */
export function loadPolicyFile(path: string): Policy {
  return parsePolicy(readPolicyText(path), path);
}

/** Reads a policy file's text; `POLICY.INVALID` naming the path when it cannot. */
export function readPolicyText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(
      'POLICY.INVALID',
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}
