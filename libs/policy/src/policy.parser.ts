import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import {
  DIRECT_IDENTIFIER_FIELDS,
  REPORTER_TYPES,
  SIGNAL_FIELDS,
  SPECIAL_CATEGORY_FIELDS,
  type ReporterType,
  type SignalField,
} from '@ketenpoort/signal-contract';
import { isRetention } from './age-at-report.js';
import { PolicyError, type PolicyProblem } from './policy.error.js';
import {
  GENERALISERS,
  LINKAGE_INPUT_FIELDS,
  NOT_PERMITTED,
  POLICY_FORMAT,
  SINGLE_FIELD_TOKEN_KINDS,
  type FieldOutput,
  type Policy,
  type PurposeGround,
  type PurposePolicy,
} from './policy.model.js';

const PURPOSE_ID = /^[a-z][a-z0-9-]{0,63}$/;
const ART_9 = /\bart(?:\.|ikel)?\s*9\b/i;
const ROOT_KEYS = ['format', 'destination', 'ageBands', 'purposes'];
const PURPOSE_KEYS = [
  'id',
  'description',
  'processingActivity',
  'dossierType',
  'retention',
  'grounds',
  'fields',
];
const GROUND_KEYS = ['legalGround', 'consent'];

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
}

const byKey = (entries: Entry[]) => new Map(entries.map((entry) => [entry.key, entry]));

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
    const value = entry?.value && isScalar(entry.value) ? String(entry.value.value) : '';
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
    'must be forward, pseudonymise, drop, { pseudonymise: <kind> }, { generalise: <generaliser> } or a list of these',
  );
  return null;
}

/** Rules about one field's outputs that hold whatever the purpose. */
function checkFieldOutputs(
  reader: PolicyReader,
  field: SignalField,
  outputs: FieldOutput[],
  path: string,
  line: number,
): void {
  const problem = (message: string) => reader.problem(line, path, message);
  const keys = outputs.map((output) => JSON.stringify(output));
  if (new Set(keys).size !== keys.length) problem('names the same output twice');
  if (outputs.some((output) => output.action === 'drop') && outputs.length > 1) {
    problem('drop cannot be combined with other outputs');
  }
  for (const output of outputs) {
    if (output.action === 'forward' && DIRECT_IDENTIFIER_FIELDS.includes(field)) {
      problem('is a direct identifier: it may only be pseudonymised or dropped, never forwarded');
    }
    if (
      output.action === 'generalise' &&
      !(GENERALISERS[output.to].fields as readonly string[]).includes(field)
    ) {
      problem(`generalise '${output.to}' does not apply to this field`);
    }
    if (
      output.action === 'pseudonymise' &&
      output.kind === undefined &&
      !LINKAGE_INPUT_FIELDS.includes(field)
    ) {
      problem(
        `is no input of the linkage tokens (those are ${LINKAGE_INPUT_FIELDS.join(', ')}): drop it instead`,
      );
    }
    if (
      output.action === 'pseudonymise' &&
      output.kind !== undefined &&
      !(SINGLE_FIELD_TOKEN_KINDS[output.kind] as readonly string[]).includes(field)
    ) {
      problem(`a '${output.kind}' token cannot be made from this field`);
    }
  }
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
    checkFieldOutputs(reader, field, outputs as FieldOutput[], fieldPath, entry.line);
    fields[field] = outputs as FieldOutput[];
    lines[field] = entry.line;
  }
  const pseudonymised = (field: SignalField) =>
    fields[field]?.some((output) => output.action === 'pseudonymise' && output.kind === undefined) ?? false;
  const documentNumber = 'subject.documents[].number';
  if (pseudonymised(documentNumber) && !pseudonymised('subject.documents[].type')) {
    reader.problem(
      lines[documentNumber]!,
      `${path}.${documentNumber}`,
      'can only be pseudonymised together with subject.documents[].type',
    );
  }
  for (const field of ['subject.documents[].type', 'subject.documents[].country'] as const) {
    if (pseudonymised(field) && !pseudonymised(documentNumber)) {
      reader.problem(
        lines[field]!,
        `${path}.${field}`,
        `is only a linkage input together with ${documentNumber}`,
      );
    }
  }
  return { fields, lines };
}

function readGrounds(
  reader: PolicyReader,
  node: Node | null,
  path: string,
  line: number,
): Partial<Record<ReporterType, PurposeGround | typeof NOT_PERMITTED>> {
  const grounds: Partial<Record<ReporterType, PurposeGround | typeof NOT_PERMITTED>> = {};
  for (const entry of reader.entries(node, path, line, REPORTER_TYPES) ?? []) {
    const groundPath = `${path}.${entry.key}`;
    const type = entry.key as ReporterType;
    if (entry.value && isScalar(entry.value) && entry.value.value === NOT_PERMITTED) {
      grounds[type] = NOT_PERMITTED;
      continue;
    }
    const parts = reader.entries(entry.value, groundPath, entry.line, GROUND_KEYS);
    if (!parts) continue;
    const map = byKey(parts);
    const legalGround = reader.string(map.get('legalGround'), `${groundPath}.legalGround`, entry.line);
    const consent = map.get('consent');
    const consentValue = consent?.value && isScalar(consent.value) ? consent.value.value : undefined;
    if (consentValue !== 'none' && consentValue !== 'required') {
      reader.problem(consent?.line ?? entry.line, `${groundPath}.consent`, 'must be none or required');
      continue;
    }
    if (legalGround !== null) grounds[type] = { legalGround, consent: consentValue };
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
  return grounds;
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
  const grounds = groundsEntry
    ? readGrounds(reader, groundsEntry.value, `${path}.grounds`, groundsEntry.line)
    : (reader.problem(purposeLine, `${path}.grounds`, 'is required'), {});
  const fieldsEntry = map.get('fields');
  const { fields, lines } = fieldsEntry
    ? readFields(reader, fieldsEntry.value, `${path}.fields`, fieldsEntry.line)
    : (reader.problem(purposeLine, `${path}.fields`, 'is required'), { fields: {}, lines: {} });

  for (const field of SPECIAL_CATEGORY_FIELDS) {
    const released = fields[field]?.some((output) => output.action !== 'drop');
    if (!released) continue;
    const lacking = REPORTER_TYPES.filter((type) => {
      const ground = grounds[type];
      return ground !== undefined && ground !== NOT_PERMITTED && !ART_9.test(ground.legalGround);
    });
    if (lacking.length) {
      reader.problem(
        lines[field]!,
        `${path}.fields.${field}`,
        `special-category data (GDPR art. 9) needs a legal ground naming art. 9; the ground of ${lacking.join(', ')} does not`,
      );
    }
  }
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
    line: purposeLine,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses and checks a field policy. Refuses, with `POLICY.INVALID` and a message naming file, line and
 * path of every problem, a policy that names a field signal v1 does not have, forwards a direct
 * identifier, releases special-category data without an art. 9 ground, or leaves a reporter type without
 * a ground.
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
  if (reader.problems.length || !policy) {
    const problems = [...reader.problems].sort((a, b) => a.line - b.line);
    const messages = problems.map((p) => `${source}:${p.line}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
    throw new PolicyError('POLICY.INVALID', messages.join('\n'), problems[0]?.path, problems);
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
  };
}

/**
 * Reads and parses a policy file; the file path is the `source` named in error messages.
 *
 * @example loadPolicyFile('config/policies/register.yaml').purposes.map((p) => p.id)
 */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(
      'POLICY.INVALID',
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  return parsePolicy(text, path);
}
