import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { FieldError } from './register.error.js';

export const STRICT_VALIDATION = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** Flattens class-validator errors into paths and reasons; submitted values are never copied. */
export function toFieldErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = !prefix
      ? error.property
      : /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`;
    if (error.constraints) {
      const unknown = 'whitelistValidation' in error.constraints;
      out.push({ path, reasons: unknown ? ['is not an accepted field'] : Object.values(error.constraints) });
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, path));
  }
  return out;
}

/** Validates a plain value against a DTO class (strict whitelist); the instance or the field errors. */
export function validatePlain<T extends object>(
  type: ClassConstructor<T>,
  plain: unknown,
): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: [{ path: '', reasons: ['must be an object'] }] };
  }
  const value = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = validateSync(value, STRICT_VALIDATION);
  return errors.length ? { ok: false, errors: toFieldErrors(errors) } : { ok: true, value };
}
