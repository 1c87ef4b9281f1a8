/**
 * The fixed list of token kinds. Adding a kind is a code change; changing what a kind hashes is a key rotation.
 * - `doc`: one identity document (type, issuing country, number)
 * - `nds`: all name tokens + full birth date + sex
 * - `case`: a partner's case reference
 * - `subj`: audit-domain subject token (see `Pseudonymiser.subjectTokens`)
 * - `ndob`: main given name + a core family name + full birth date (sex left out: often mis-recorded)
 * - `sdob`: as `ndob` for a stand-in birth date (01-01, 07-01); its presence flags the record's date as a stand-in
 * - `near`: as `ndob` with one name within one deleted character (one-letter typos)
 * - `phon`: phonetic keys of all core name tokens + full birth date
 * - `nyr`: all core name tokens + birth year (for a stand-in date also the years either side)
 * - `nyrn`: as `near` with the birth year instead of the date (typos in year-only reports)
 * - `pyr`: phonetic keys + birth year
 * The register weighs them: see docs/adr/0007-linkage.md.
 *
 * @example
 * TOKEN_KINDS.includes('nds'); // true
 */
export const TOKEN_KINDS = [
  'doc',
  'nds',
  'case',
  'subj',
  'ndob',
  'sdob',
  'near',
  'phon',
  'nyr',
  'nyrn',
  'pyr',
] as const;
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
