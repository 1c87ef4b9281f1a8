import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import {
  DIRECT_IDENTIFIER_FIELDS,
  FREE_TEXT_FIELDS,
  SIGNAL_FIELDS,
  SPECIAL_CATEGORY_FIELDS,
} from '@ketenpoort/signal-contract';
import { CapturedOutput } from '@ketenpoort/testing';
import { logWhenAnswered } from './access-log.js';
import { correlationIdFrom } from './correlation-id.js';
import { PinoLogger, type NestLogLevel, type PinoLoggerOptions } from './pino-logger.js';
import { PERSONAL_KEYS, PERSONAL_SIGNAL_FIELDS, REDACTED } from './redaction.js';

/** Captured log output, also as parsed lines. */
class Lines extends CapturedOutput {
  parsed(): Record<string, unknown>[] {
    return this.text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

const aLogger = (options: Partial<PinoLoggerOptions> = {}) => {
  const out = new Lines();
  const sut = new PinoLogger({ app: 'gateway', destination: out, levels: 'verbose', ...options });
  return { sut, out };
};

/** `{ a: { b: [ { c: value } ] } }` for `a.b[].c`. */
function objectAt(path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const inner = rest.length ? objectAt(rest.join('.'), value) : value;
  return head.endsWith('[]') ? { [head.slice(0, -2)]: [inner] } : { [head]: inner };
}

/** Merges objects built by `objectAt` into one (arrays of one object are merged element-wise). */
function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (Array.isArray(value) && Array.isArray(existing)) merge(existing[0], value[0]);
    else if (value && typeof value === 'object' && existing && typeof existing === 'object')
      merge(existing as Record<string, unknown>, value as Record<string, unknown>);
    else target[key] = value;
  }
  return target;
}

const canaryOf = (field: string) => `kanarie-${field.replace(/\W/g, '-')}`;
/** A signal (as a plain object) with a canary in every field of the contract's catalogue. */
const canarySignal = () =>
  SIGNAL_FIELDS.reduce<Record<string, unknown>>(
    (signal, field) => merge(signal, objectAt(field, canaryOf(field))),
    {},
  );
const PERSONAL = new Set<string>(PERSONAL_SIGNAL_FIELDS);
const NOT_PERSONAL = SIGNAL_FIELDS.filter((field) => !PERSONAL.has(field));

describe(PinoLogger.name, () => {
  it('writes one JSON object per line: level label, ISO time, app, context, fields, msg', () => {
    const { sut, out } = aLogger();
    sut.log({ msg: 'record delivered', recordId: 'r-1' }, 'Outbox');
    sut.warn('plain text', 'Tls');
    const [first, second] = out.parsed();
    expect(out.text().split('\n').filter(Boolean)).toHaveLength(2);
    expect(Object.keys(first).sort()).toEqual(['app', 'context', 'level', 'msg', 'recordId', 'time']);
    expect(first).toMatchObject({
      level: 'info',
      app: 'gateway',
      context: 'Outbox',
      msg: 'record delivered',
    });
    expect(new Date(first.time as string).toISOString()).toBe(first.time);
    expect(second).toMatchObject({ level: 'warn', context: 'Tls', msg: 'plain text' });
  });

  it.each<[NestLogLevel, string]>([
    ['fatal', 'fatal'],
    ['error', 'error'],
    ['warn', 'warn'],
    ['log', 'info'],
    ['debug', 'debug'],
    ['verbose', 'verbose'],
  ])('writes Nest level %s with the label %s', (level, label) => {
    const { sut, out } = aLogger();
    sut[level]({ msg: 'x' }, 'Test');
    expect(out.parsed()).toEqual([expect.objectContaining({ level: label, msg: 'x' })]);
  });

  it('writes only the levels in its list', () => {
    const { sut, out } = aLogger({ levels: ['error', 'fatal'] });
    sut.log('no');
    sut.warn('no');
    sut.debug('no');
    sut.error('yes');
    sut.fatal('yes too');
    expect(out.parsed().map((l) => l.level)).toEqual(['error', 'fatal']);
    expect(sut.isLevelEnabled('log')).toBe(false);
  });

  it('takes one level as that level and every more severe one', () => {
    const { sut, out } = aLogger({ levels: 'warn' });
    sut.verbose('no');
    sut.debug('no');
    sut.log('no');
    sut.warn('yes');
    sut.error('yes');
    expect(out.parsed().map((l) => l.level)).toEqual(['warn', 'error']);
  });

  it('follows the levels Nest sets', () => {
    const { sut, out } = aLogger({ levels: ['error'] });
    sut.setLogLevels(['log', 'error']);
    sut.log('now written');
    expect(out.parsed()).toEqual([expect.objectContaining({ level: 'info', msg: 'now written' })]);
  });

  it('refuses an unknown level', () => {
    expect(() => aLogger({ levels: ['loud' as NestLogLevel] })).toThrow(/unknown log level loud/);
  });

  it('writes no context when none is given, and never a stack trace as context or field', () => {
    const { sut, out } = aLogger();
    sut.log({ msg: 'no context' });
    sut.error('failed', 'Error: kanarie-stack\n    at somewhere (file.ts:1:1)');
    sut.error('failed too', 'Error: kanarie-stack\n    at somewhere (file.ts:1:1)', 'Errors');
    const [first, second, third] = out.parsed();
    expect(first).not.toHaveProperty('context');
    expect(second).not.toHaveProperty('context');
    expect(third).toMatchObject({ msg: 'failed too', context: 'Errors' });
    expect(out.text()).not.toContain('kanarie-stack');
  });

  it("takes the register's `message` as msg", () => {
    const { sut, out } = aLogger({ app: 'register' });
    sut.log({ message: 'record stored', recordId: 'r-1' });
    expect(out.parsed()).toEqual([
      expect.objectContaining({ app: 'register', msg: 'record stored', recordId: 'r-1' }),
    ]);
    expect(out.parsed()[0]).not.toHaveProperty('message');
  });

  it('writes an error as its name and code, never its message', () => {
    const { sut, out } = aLogger();
    const error = Object.assign(new Error('duplicate key (name)=(kanarie-error)'), {
      code: '23505',
      detail: 'Key (name)=(kanarie-detail) already exists',
    });
    sut.error(error, 'Errors');
    sut.error({ msg: 'wrapped', cause: error, err: error }, 'Errors');
    expect(out.parsed()[0]).toMatchObject({ msg: 'Error', errorName: 'Error', errorCode: '23505' });
    expect(out.parsed()[1]).toMatchObject({ cause: { errorName: 'Error', errorCode: '23505' } });
    expect(out.text()).not.toMatch(/kanarie/);
  });

  describe('redaction', () => {
    it('derives the personal fields from the contract: subject, situation and case blocks and every listed identifier', () => {
      expect(PERSONAL_SIGNAL_FIELDS).toEqual(
        expect.arrayContaining([
          ...DIRECT_IDENTIFIER_FIELDS,
          ...SPECIAL_CATEGORY_FIELDS,
          ...FREE_TEXT_FIELDS,
          ...SIGNAL_FIELDS.filter((f) => /^(subject|situation|case)\./.test(f)),
        ]),
      );
      expect(NOT_PERSONAL).toEqual(
        SIGNAL_FIELDS.filter((f) =>
          /^(signalId|purpose|reportedAt|supersedes|consent\.|exploitation\.)/.test(f),
        ),
      );
      expect([...PERSONAL_KEYS]).toEqual(
        expect.arrayContaining(['givenNames', 'familyName', 'birthDate', 'documents', 'phone', 'address']),
      );
      expect([...PERSONAL_KEYS]).toEqual(
        expect.arrayContaining(['officer', 'narrative', 'healthNotes', 'number', 'email', 'name']),
      );
    });

    it.each(PERSONAL_SIGNAL_FIELDS.map((field) => [field]))(
      'never writes %s: not under its block at top level, not in a whole signal, not nested deeper',
      (field) => {
        const { sut, out } = aLogger();
        const canary = canaryOf(field);
        const withinBlock = objectAt(field.split('.').slice(1).join('.'), canary);
        sut.log({ msg: 'top level', ...withinBlock }, 'Test');
        sut.warn({ msg: 'signal', signal: objectAt(field, canary) }, 'Test');
        sut.error({ msg: 'deep', a: [{ b: { c: [{ d: { e: objectAt(field, canary) } }] } }] }, 'Test');
        expect(out.text()).not.toContain(canary);
        for (const line of out.parsed()) expect(JSON.stringify(line)).toContain(REDACTED);
      },
    );

    it('writes a whole signal with its envelope, consent and exploitation and nothing personal', () => {
      const { sut, out } = aLogger();
      sut.log({ msg: 'a signal', signal: canarySignal() }, 'Test');
      sut.log({ msg: 'twice nested', batch: [{ signals: [canarySignal()] }] }, 'Test');
      const text = out.text();
      for (const field of PERSONAL_SIGNAL_FIELDS)
        expect({ field, found: text.includes(canaryOf(field)) }).toEqual({ field, found: false });
      // Redaction is by name, not wholesale: what is not personal is still written.
      for (const field of NOT_PERSONAL)
        expect({ field, found: text.includes(canaryOf(field)) }).toEqual({ field, found: true });
    });

    it('does not change the object it was given', () => {
      const { sut } = aLogger();
      const given = { msg: 'x', subject: { familyName: 'kanarie' } };
      sut.log(given, 'Test');
      expect(given.subject.familyName).toBe('kanarie');
    });

    it.each(['key', 'secret', 'signingKey', 'privateKey', 'clientSecret', 'keyPem', 'hmacKey', 'd'])(
      'never writes a %s, at top level or nested',
      (name) => {
        const { sut, out } = aLogger();
        sut.log({ msg: 'top', [name]: 'kanarie-secret' }, 'Test');
        sut.log(
          { msg: 'nested', config: { tls: [{ [name]: { kty: 'OKP', value: 'kanarie-secret' } }] } },
          'Test',
        );
        expect(out.text()).not.toContain('kanarie-secret');
        expect(out.parsed().map((l) => JSON.stringify(l))).toEqual([
          expect.stringContaining(REDACTED),
          expect.stringContaining(REDACTED),
        ]);
      },
    );

    it('never writes a request body, authorization or cookie header', () => {
      const { sut, out } = aLogger();
      sut.log(
        {
          msg: 'request',
          req: {
            method: 'POST',
            body: { anything: 'kanarie-body' },
            headers: { authorization: 'Bearer kanarie-token', cookie: 'kp=kanarie-cookie', accept: '*/*' },
          },
        },
        'Test',
      );
      expect(out.text()).not.toMatch(/kanarie/);
      expect(out.parsed()[0]).toMatchObject({
        req: {
          method: 'POST',
          body: REDACTED,
          headers: { authorization: REDACTED, cookie: REDACTED, accept: '*/*' },
        },
      });
    });

    it('redacts binary data whole and survives a cycle', () => {
      const { sut, out } = aLogger();
      const looped: Record<string, unknown> = { msg: 'loop', familyName: 'kanarie-loop' };
      looped.self = looped;
      sut.log({ msg: 'bytes', payload: Buffer.from('kanarie-bytes') }, 'Test');
      sut.log(looped, 'Test');
      expect(out.text()).not.toMatch(/kanarie/);
      expect(out.parsed()).toHaveLength(2);
    });
  });
});

describe(logWhenAnswered.name, () => {
  class FakeResponse extends EventEmitter {
    statusCode = 202;
    writableFinished = true;
  }

  it('writes one access line when the response closes, with status and duration', () => {
    const { sut, out } = aLogger();
    const res = new FakeResponse();
    let route = 'unmatched';
    logWhenAnswered(sut, 'log', res, () => ({
      correlationId: 'c-1',
      listener: 'partner',
      method: 'POST',
      route,
    }));
    route = '/v1/signals';
    expect(out.parsed()).toEqual([]);
    res.emit('close');
    const [line] = out.parsed();
    expect(line).toMatchObject({
      msg: 'request',
      context: 'Access',
      level: 'info',
      correlationId: 'c-1',
      route: '/v1/signals',
      status: 202,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line).not.toHaveProperty('aborted');
  });

  it('marks a response closed before it was complete as aborted', () => {
    const { sut, out } = aLogger();
    const res = new FakeResponse();
    res.writableFinished = false;
    logWhenAnswered(sut, 'log', res, () => ({
      correlationId: null,
      listener: 'admin',
      method: 'GET',
      route: 'x',
    }));
    res.emit('close');
    expect(out.parsed()[0]).toMatchObject({ aborted: true });
  });

  it('writes nothing at level off', () => {
    const { sut, out } = aLogger();
    const res = new FakeResponse();
    logWhenAnswered(sut, 'off', res, () => ({
      correlationId: null,
      listener: 'admin',
      method: 'GET',
      route: 'x',
    }));
    res.emit('close');
    expect(out.parsed()).toEqual([]);
  });
});

describe(correlationIdFrom.name, () => {
  it('keeps a UUID the caller sent, lower-cased', () => {
    expect(correlationIdFrom('3F0C8A2E-7D1B-4C55-9A1E-0B6F2A9C1D01')).toBe(
      '3f0c8a2e-7d1b-4c55-9a1e-0b6f2a9c1d01',
    );
  });

  it('makes a new one for anything else, so a header cannot carry data into the logs', () => {
    for (const given of [undefined, '', 'Anna Kowalska', ['3f0c8a2e-7d1b-4c55-9a1e-0b6f2a9c1d01']]) {
      const made = correlationIdFrom(given);
      expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(made).not.toContain('anna');
    }
  });
});
