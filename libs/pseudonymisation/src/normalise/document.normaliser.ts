import { foldToAscii } from './transliterate.js';

/**
 * A document number without spaces, dashes, dots, slashes or any other separator; transliterated; upper case.
 * Empty when nothing of it is left.
 *
 * @example
 * normaliseDocumentNumber('ea 123-45.67'); // 'EA1234567'
 */
export function normaliseDocumentNumber(value: string): string {
  if (typeof value !== 'string') return '';
  return foldToAscii(value)
    .replace(/[^a-z0-9]/g, '')
    .toUpperCase();
}

/**
 * A document type as lower-case a-z, 0-9 and inner hyphens ('Residence Permit' → 'residence-permit').
 *
 * @example
 * normaliseDocumentType(' Passport '); // 'passport'
 */
export function normaliseDocumentType(value: string): string {
  if (typeof value !== 'string') return '';
  return foldToAscii(value)
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .join('-');
}

/**
 * An issuing country code: upper-case A-Z only ('pl' → 'PL'); empty when absent.
 *
 * @example
 * normaliseCountry(' pl'); // 'PL'
 */
export function normaliseCountry(value: string | undefined): string {
  if (typeof value !== 'string') return '';
  return foldToAscii(value)
    .replace(/[^a-z]/g, '')
    .toUpperCase();
}
