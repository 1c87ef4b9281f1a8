/**
 * The fixed list of token kinds. Adding a kind is a code change; changing what a kind hashes is a key rotation.
 * - `doc`: one identity document (type, issuing country, number)
 * - `nds`: all name tokens + full birth date + sex
 * - `case`: a partner's case reference
 * - `subj`: audit-domain subject token (see `Pseudonymiser.subjectTokens`)
 *
 * @example
 * TOKEN_KINDS.includes('nds'); // true
 */
export const TOKEN_KINDS = ['doc', 'nds', 'case', 'subj'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/**
 * Type guard for a token kind of the fixed list.
 *
 * @example
 * isTokenKind('doc'); // true
 */
export function isTokenKind(value: unknown): value is TokenKind {
  return typeof value === 'string' && (TOKEN_KINDS as readonly string[]).includes(value);
}
