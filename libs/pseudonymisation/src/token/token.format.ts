import { base32 } from '../crypto/base32.js';
import { PseudonymisationError } from '../pseudonymisation.error.js';
import { assertRecipient } from './recipient.js';
import { isTokenKind, TOKEN_KINDS, type TokenKind } from './token-kind.js';

export interface ParsedToken {
  version: number;
  recipient: string;
  kind: TokenKind;
  /** The base32 digest part. */
  value: string;
}

const TOKEN = new RegExp(
  `^v([1-9][0-9]{0,8})\\.([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\\.(${TOKEN_KINDS.join('|')})\\.([a-z2-7]+)$`,
);

/**
 * Formats a token as `v<keyVersion>.<recipient>.<kind>.<base32>`.
 *
 * @example
 * formatToken(1, 'register', 'nds', digest); // 'v1.register.nds.m5…'
 */
export function formatToken(version: number, recipient: string, kind: TokenKind, digest: Uint8Array): string {
  if (!Number.isSafeInteger(version) || version < 1 || version > 999_999_999) {
    throw new PseudonymisationError('PSEUDO.KEY_VERSION_UNKNOWN', 'key version must be a positive integer');
  }
  assertRecipient(recipient);
  if (!isTokenKind(kind)) {
    throw new PseudonymisationError('PSEUDO.KIND_INVALID', `kind must be one of ${TOKEN_KINDS.join(', ')}`);
  }
  if (digest.length === 0) throw new PseudonymisationError('PSEUDO.INPUT_INVALID', 'digest is empty');
  return `v${version}.${recipient}.${kind}.${base32(digest)}`;
}

/**
 * Parses a token; null when it is not of the form `v<keyVersion>.<recipient>.<kind>.<base32>` with a known kind.
 *
 * @example
 * parseToken('v1.register.doc.abc234'); // { version: 1, recipient: 'register', kind: 'doc', value: 'abc234' }
 */
export function parseToken(token: string): ParsedToken | null {
  if (typeof token !== 'string') return null;
  const match = TOKEN.exec(token);
  if (!match) return null;
  return { version: Number(match[1]), recipient: match[2], kind: match[3] as TokenKind, value: match[4] };
}
