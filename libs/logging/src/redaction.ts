import {
  DIRECT_IDENTIFIER_FIELDS,
  FREE_TEXT_FIELDS,
  SIGNAL_FIELDS,
  SPECIAL_CATEGORY_FIELDS,
  type SignalField,
} from '@ketenpoort/signal-contract';

/** What a redacted value is written as. */
export const REDACTED = '[redacted]';

/** Blocks of the signal whose every field is about the person: the subject, their situation, their case. */
const PERSONAL_BLOCKS = ['subject', 'situation', 'case'];

/**
 * The personal fields of signal v1, read from the contract's catalogue: every field of a personal block,
 * and every direct identifier, special-category and free-text field wherever it sits. A field added to the
 * contract in one of these blocks or lists is personal here without a change to this file.
 */
export const PERSONAL_SIGNAL_FIELDS: readonly SignalField[] = SIGNAL_FIELDS.filter(
  (field) =>
    PERSONAL_BLOCKS.includes(field.split('.')[0]) ||
    DIRECT_IDENTIFIER_FIELDS.includes(field) ||
    SPECIAL_CATEGORY_FIELDS.includes(field) ||
    FREE_TEXT_FIELDS.includes(field),
);

const segments = (field: string) => field.split('.').map((part) => part.replace(/\[\]$/, ''));

/**
 * Property names whose value is never logged, at any depth: for each personal field the property under its
 * block (`subject.address.street` → `address`, `case.officer.name` → `officer`, so the whole nested object
 * goes), and for the direct identifiers, special-category and free-text fields also the last property
 * (`number`, `street`, `name`, `email`), so a fragment logged on its own goes too. A log field must never be
 * named like one of these.
 *
 * @example PERSONAL_KEYS.has('givenNames') // true
 */
export const PERSONAL_KEYS: ReadonlySet<string> = new Set(
  PERSONAL_SIGNAL_FIELDS.flatMap((field) => {
    const parts = segments(field);
    const sensitive =
      DIRECT_IDENTIFIER_FIELDS.includes(field) ||
      SPECIAL_CATEGORY_FIELDS.includes(field) ||
      FREE_TEXT_FIELDS.includes(field);
    return sensitive ? [parts[1], parts[parts.length - 1]] : [parts[1]];
  }),
);

/** Credentials by name, at any depth, that `SECRET_NAME` does not catch (`d` is a private JWK's secret member). */
const SECRET_KEYS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'd']);

/** Key material by name, at any depth: `key`, `signingKey`, `keyPem`, `clientKeyPem`, `secret`, `clientSecret`, `password`, `hmacKey`, … */
const SECRET_NAME = /(?:key|secret|password)(?:pem)?$/i;

/**
 * Fixed paths pino itself redacts: a request or response object, should one ever be logged whole.
 * (Names at any depth are handled by `redactDeep`: pino's wildcard paths cost ~50x more per line.)
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.body',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** Whether a property of that name is written as `[redacted]` wherever it appears. */
export function isRedactedKey(key: string): boolean {
  return PERSONAL_KEYS.has(key) || SECRET_KEYS.has(key) || SECRET_NAME.test(key);
}

/** Deeper than this a value is not walked but redacted whole (log objects are a few levels deep). */
const MAX_DEPTH = 16;

/**
 * A copy of `value` in which every property named by `isRedactedKey` holds `[redacted]`, at any depth and
 * in arrays; what has nothing to redact is returned as is (no copy). Errors become their name and code
 * (their message and driver details may quote data), binary data is redacted whole.
 *
 * @example redactDeep({ signalId: 's-1', subject: { familyName: 'X' } })
 * // { signalId: 's-1', subject: { familyName: '[redacted]' } }
 */
export function redactDeep<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (value instanceof Error) return describeError(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return REDACTED;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(value), depth + 1);
  if (Array.isArray(value)) {
    let out: unknown[] = value;
    for (let i = 0; i < value.length; i++) {
      const next = walk(value[i], depth + 1);
      if (next !== value[i]) {
        if (out === value) out = value.slice();
        out[i] = next;
      }
    }
    return out;
  }
  const source = value as Record<string, unknown>;
  let out = source;
  for (const key of Object.keys(source)) {
    const child = source[key];
    const next = child !== undefined && isRedactedKey(key) ? REDACTED : walk(child, depth + 1);
    if (next !== child) {
      if (out === source) out = { ...source };
      out[key] = next;
    }
  }
  return out;
}

/** An error as it may be logged: its class name and code, never its message, stack or details. */
export function describeError(error: Error): { errorName: string; errorCode: string | null } {
  const code = (error as { code?: unknown }).code;
  return {
    errorName: error.name,
    errorCode: typeof code === 'string' || typeof code === 'number' ? String(code) : null,
  };
}
