import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SIGNAL_FIELDS } from '@ketenpoort/signal-contract';
import { aSignal, decodeForScan, findCanaries, testDatabaseKinds } from '@ketenpoort/testing';
import { HostileFixture } from './hostile-fixture.js';

/** One hostile request: raw bytes, a content type, and the markers its values carry. */
interface FuzzCase {
  kind: string;
  body: Buffer;
  contentType: string | null;
  markers: string[];
}

let counter = 0;
const marker = () => `Mk${(++counter).toString(36)}q${randomBytes(4).toString('hex')}`;

const VALID = () => aSignal().build() as Record<string, unknown>;
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
/** Inserts `,"key":value` into the top-level object's text (duplicate keys, `__proto__` as own key). */
const withRawMember = (text: string, member: string) => text.replace(/}\s*$/, `,${member}}`);

const nested = (depth: number, leaf: unknown, asArray: boolean): string => {
  const open = asArray ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = asArray ? ']'.repeat(depth) : '}'.repeat(depth);
  return `${open}${JSON.stringify(leaf)}${close}`;
};

/** Values that are wrong for any field of signal v1 (each carries a marker where it can). */
type Hostile = { text: string; markers: string[] };
const hostileValue = (m: string): fc.Arbitrary<Hostile> =>
  fc.oneof<fc.Arbitrary<Hostile>[]>(
    fc.constant({ text: JSON.stringify({ [m.slice(0, 3)]: m }), markers: [m] }),
    fc.constant({ text: JSON.stringify([m, 1, null, { x: m }]), markers: [m] }),
    fc.integer().map((n) => ({ text: String(n), markers: [] })),
    fc.double({ noNaN: true }).map((n) => ({ text: JSON.stringify(n), markers: [] })),
    fc.constant({ text: '[true]', markers: [] }), // a bare boolean is valid for the boolean fields
    fc.constant({ text: '1e999', markers: [] }),
    fc
      .integer({ min: 10_000, max: 400_000 })
      .map((n) => ({ text: JSON.stringify({ v: m + 'x'.repeat(n) }), markers: [m] })),
    fc
      .integer({ min: 1_000, max: 60_000 })
      .map((n) => ({ text: JSON.stringify(Array(n).fill(m)), markers: [m] })),
    fc
      .integer({ min: 50, max: 100_000 })
      .chain((depth) => fc.boolean().map((asArray) => ({ text: nested(depth, m, asArray), markers: [m] }))),
    fc.constant({
      text: JSON.stringify({ __proto__: { polluted: m } }).replace('{}', `{"__proto__":{"polluted":"${m}"}}`),
      markers: [m],
    }),
    fc.constant({ text: `{"constructor":{"prototype":{"polluted":"${m}"}}}`, markers: [m] }),
  );

/** Paths of signal v1 with the array markers resolved, e.g. `subject.documents.0.number`. */
const PATHS = SIGNAL_FIELDS.map((p) => p.replace(/\[\]/g, '.0'));

const setPath = (target: Record<string, unknown>, path: string, value: unknown) => {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = /^\d+$/.test(key) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
};

const fuzzCase: fc.Arbitrary<FuzzCase> = fc.constant(null).chain(() => {
  const m = marker();
  return fc.oneof(
    // A field of the signal replaced by a value of the wrong type or shape.
    fc.tuple(fc.constantFrom(...PATHS), hostileValue(m)).map(([path, value]) => {
      const signal = VALID();
      setPath(signal, path, { __placeholder__: m });
      const text = JSON.stringify(signal).replace(`{"__placeholder__":"${m}"}`, value.text);
      return {
        kind: 'wrong-type',
        body: Buffer.from(text),
        contentType: 'application/json',
        markers: [m, ...value.markers],
      };
    }),
    // An invented member at the top level or in a block: unknown field, __proto__, constructor, prototype.
    fc
      .tuple(
        fc.constantFrom('', 'subject', 'consent', 'exploitation', 'situation', 'case'),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'zzExtra', 'toString', 'hasOwnProperty'),
        hostileValue(m),
      )
      .map(([block, key, value]) => {
        const signal = VALID();
        const text = JSON.stringify(signal);
        const raw = block
          ? text.replace(`"${block}":{`, `"${block}":{"${key}":${value.text},`)
          : withRawMember(text, `"${key}":${value.text}`);
        return {
          kind: `member-${key}`,
          body: Buffer.from(raw),
          contentType: 'application/json',
          markers: [m, ...value.markers],
        };
      }),
    // Duplicate key: the last one wins, and it is wrong.
    fc.constantFrom('signalId', 'purpose', 'reportedAt', 'subject', 'consent').map((key) => ({
      kind: 'duplicate-key',
      body: Buffer.from(withRawMember(JSON.stringify(VALID()), `"${key}":{"dup":"${m}"}`)),
      contentType: 'application/json',
      markers: [m],
    })),
    // JSON that is not an object.
    fc
      .constantFrom(`[${JSON.stringify(VALID())}]`, '0', '-1.5e300', 'null', 'true', `"${m}"`, '[]', '{}')
      .map((text) => ({
        kind: 'not-an-object',
        body: Buffer.from(text),
        contentType: 'application/json',
        markers: text.includes(m) ? [m] : [],
      })),
    // Invalid UTF-8 inside a string value of an otherwise valid signal.
    fc
      .tuple(
        fc.constantFrom(
          Buffer.from([0xff]),
          Buffer.from([0xc3, 0x28]),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
          Buffer.from([0xe2, 0x82]),
        ),
        fc.constantFrom('givenNames', 'narrative', 'sector'),
      )
      .map(([bad, field]) => {
        const signal = aSignal()
          .withSubject({ givenNames: `${m}G` })
          .withSituation({ narrative: `${m}N` })
          .withExploitation({ sector: `${m}S` })
          .build();
        const text = JSON.stringify(signal);
        const suffix = { givenNames: 'G', narrative: 'N', sector: 'S' }[field];
        const at = text.indexOf(`${m}${suffix}`) + m.length;
        const body = Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]);
        return { kind: 'invalid-utf8', body, contentType: 'application/json', markers: [m] };
      }),
    // A valid signal with a wrong or missing content type.
    fc
      .constantFrom(
        null,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json-patch+json',
        'application/jsonx',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        '*/*',
        ' ',
      )
      .map((contentType) => ({
        kind: 'content-type',
        body: json(aSignal().withSubject({ givenNames: m }).build()),
        contentType,
        markers: [m],
      })),
    // Empty, truncated or garbage bodies.
    fc
      .constantFrom(
        '',
        ' ',
        '{',
        `{"signalId":"${m}`,
        `{"a":1}}`,
        `\u0000${m}`,
        `{'signalId':'${m}'}`,
        `{"signalId":NaN}`,
      )
      .map((text) => ({
        kind: 'malformed',
        body: Buffer.from(text),
        contentType: 'application/json',
        markers: text.includes(m) ? [m] : [],
      })),
  );
});

describe.each(testDatabaseKinds())('hostile input: fuzzing POST /v1/signals (%s)', (kind) => {
  const fixture = new HostileFixture();
  const seen = { cases: 0, status: new Map<number, number>(), fiveHundreds: 0 };

  beforeAll(async () => {
    await fixture.start(kind, { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } });
  }, 120_000);

  afterAll(async () => {
    await fixture.stop();
  }, 60_000);

  it('answers every malformed or hostile body with a 4xx, stores nothing, echoes no value and stays bounded in memory', async () => {
    const before = await fixture.rowCounts();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        seen.cases++;
        const answer = await fixture.post('politie-oost-brabant', c.body, c.contentType);
        seen.status.set(answer.status, (seen.status.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500) seen.fiveHundreds++;
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        expect({ kind: c.kind, status: answer.status }).toEqual({ kind: c.kind, status: expect.any(Number) });
        expect([400, 413, 415]).toContain(answer.status);
        expect(answer.json<{ error: string }>().error).toMatch(/^[A-Z]+\.[A-Z_0-9]+$/);
        expect(findCanaries(answer.text, c.markers)).toEqual([]);
      }),
      { numRuns: 400, seed: Number(process.env.KP_FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
    const rssAfter = process.memoryUsage().rss;
    const summary = {
      fuzzCasesTried: seen.cases,
      fiveHundredsSeen: seen.fiveHundreds,
      statuses: Object.fromEntries(seen.status),
      rssDeltaMb: Math.round((rssAfter - rssBefore) / 2 ** 20),
      rssPeakDeltaMb: Math.round((rssPeak - rssBefore) / 2 ** 20),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`hostile fuzz (${kind}): ${JSON.stringify(summary)}`);

    expect(await fixture.rowCounts()).toEqual(before);
    expect(seen.fiveHundreds).toBe(0);
    expect(summary.rssPeakDeltaMb).toBeLessThan(300);
    // Still serving: a valid signal after the fuzzing is accepted.
    const after = await fixture.post('politie-oost-brabant', JSON.stringify(aSignal().build()));
    expect(after.status).toBe(202);
  }, 180_000);

  it('answers a JSON body smuggling __proto__ with 400 and leaves Object.prototype untouched', async () => {
    const m = marker();
    const text = withRawMember(JSON.stringify(VALID()), `"__proto__":{"isAdmin":"${m}","purpose":"advice"}`);
    const answer = await fixture.post('politie-oost-brabant', text);
    expect({ status: answer.status, polluted: ({} as Record<string, unknown>).isAdmin }).toEqual({
      status: 400,
      polluted: undefined,
    });
  });

  it('never writes key material to a log: key ring, signing keys and TLS private keys are absent from all log output', async () => {
    const secrets: string[] = [];
    const keysDir = join(fixture.dataDir, 'keys');
    for (const file of readdirSync(keysDir).filter((f) => f.endsWith('.json'))) {
      const content = JSON.parse(readFileSync(join(keysDir, file), 'utf8')) as Record<string, unknown>;
      if (file === 'pseudonymisation.json')
        secrets.push(...Object.values(content.versions as Record<string, string>));
      if (typeof content.d === 'string') secrets.push(content.d);
    }
    const pkiDir = join(fixture.dataDir, 'pki');
    for (const file of readdirSync(pkiDir).filter((f) => f.endsWith('.key')))
      secrets.push(
        ...readFileSync(join(pkiDir, file), 'utf8')
          .split('\n')
          .filter((l) => /^[A-Za-z0-9+/=]{60,}$/.test(l))
          .slice(1, 4),
      );
    // Base64 and base64url forms of each secret, and the hex of the key ring's raw bytes.
    const needles = secrets.flatMap((s) => {
      const bytes = Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
      return [s, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
    });
    expect(secrets.length).toBeGreaterThanOrEqual(5);

    const logs = decodeForScan(fixture.gatewayLog.text() + fixture.registerLog.text());
    // The logs are there and readable: they hold the fuzzing's refusals and the accepted signal.
    expect(findCanaries(logs, ['listeners up'])).toEqual(['listeners up']);
    expect(fixture.gatewayLog.text().length).toBeGreaterThan(1_000);
    expect(findCanaries(logs, needles)).toEqual([]);
  });
});
