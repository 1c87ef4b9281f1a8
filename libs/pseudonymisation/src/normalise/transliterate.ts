import anyAscii from 'any-ascii';

/**
 * Unicode NFKC, then any-ascii transliteration (pinned version: a change in its tables changes tokens and is a
 * key rotation). Lower-cases before transliterating as well, so upper- and lower-case input take the same path.
 *
 * @example
 * foldToAscii('Łukasz'); // 'lukasz'
 */
export function foldToAscii(value: string): string {
  return anyAscii(value.normalize('NFKC').toLowerCase()).toLowerCase();
}
