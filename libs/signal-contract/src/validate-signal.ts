import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { SignalV1Dto } from './signal.v1.dto.js';

/** One reason a field was refused. Never carries the submitted value. */
export interface FieldError {
  path: string;
  reasons: string[];
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/**
 * Flattens class-validator errors into field paths and reasons, dropping every submitted value. A field
 * the DTO does not declare gets `unknownField` as its reason.
 */
export function toFieldErrors(
  errors: readonly ValidationError[],
  prefix = '',
  unknownField = 'is not a field of signal v1',
): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = prefix
      ? /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`
      : error.property;
    if (error.constraints) {
      const unknown = 'whitelistValidation' in error.constraints;
      out.push({ path, reasons: unknown ? [unknownField] : Object.values(error.constraints) });
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, path, unknownField));
  }
  return out;
}

const RESERVED_KEYS = new Set([
  '__proto__',
  'constructor',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** Member names that every object has (`constructor`, `toString`, `__proto__`…) slip past whitelisting: refuse them. */
function reservedKeyPaths(value: unknown, path = '', depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth > 32) return [];
  const found: string[] = [];
  for (const key of Object.keys(value)) {
    const child = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && RESERVED_KEYS.has(key)) found.push(child);
    else found.push(...reservedKeyPaths((value as Record<string, unknown>)[key], child, depth + 1));
  }
  return found;
}

/** Signal v1 nests four levels at most; a body nesting deeper than this is refused before any recursive step. */
const MAX_DEPTH = 16;

/**
 * The path of the first value nested deeper than `MAX_DEPTH`, or null. Iterative, so that a hostile body of
 * thousands of nested arrays cannot exhaust the stack (class-transformer recurses per level).
 */
function tooDeepAt(input: unknown): string | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: input, path: '', depth: 0 },
  ];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return path;
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      stack.push({
        value: child,
        path: isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key,
        depth: depth + 1,
      });
    }
  }
  return null;
}

export type SignalValidation = { ok: true; signal: SignalV1Dto } | { ok: false; errors: FieldError[] };

/**
 * Validates a parsed JSON value as signal v1, the same way the HTTP edge does.
 *
 * @example validateSignal(JSON.parse(line)).ok
 */
export function validateSignal(input: unknown): SignalValidation {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '', reasons: ['body must be a JSON object'] }] };
  }
  const deep = tooDeepAt(input);
  if (deep !== null) {
    return { ok: false, errors: [{ path: deep, reasons: [`nests deeper than ${MAX_DEPTH} levels`] }] };
  }
  const reserved = reservedKeyPaths(input);
  if (reserved.length) {
    return {
      ok: false,
      errors: reserved.map((path) => ({ path, reasons: ['is not a field of signal v1'] })),
    };
  }
  const signal = plainToInstance(SignalV1Dto, input, { enableImplicitConversion: false });
  const errors = validateSync(signal, VALIDATION_OPTIONS);
  return errors.length ? { ok: false, errors: toFieldErrors(errors) } : { ok: true, signal };
}
