export {
  PseudonymisationError,
  PSEUDO_ERROR_CODES,
  type PseudonymisationErrorCode,
} from './pseudonymisation.error.js';
export { hmacSha256 } from './crypto/hmac-sha256.js';
export { hkdfSha256 } from './crypto/hkdf-sha256.js';
export { base32 } from './crypto/base32.js';
export {
  generateKeyRingData,
  retireKeyVersion,
  rotateKeyRingData,
  MASTER_KEY_BYTES,
  type KeyRingData,
} from './key-ring/key-ring.data.js';
export { KeyRing, KEY_DERIVATION_SALT } from './key-ring/key-ring.js';
export {
  loadKeyRingFile,
  readKeyRingFile,
  updateKeyRingFile,
  writeKeyRingFile,
} from './key-ring/key-ring.file.js';
export { TOKEN_KINDS, isTokenKind, type TokenKind } from './token/token-kind.js';
export { RECIPIENT_PATTERN } from './token/recipient.js';
export { formatToken, parseToken, type ParsedToken } from './token/token.format.js';
export { normaliseName, normaliseNameTokens } from './normalise/name.normaliser.js';
export {
  normaliseDocumentNumber,
  normaliseDocumentType,
  normaliseCountry,
} from './normalise/document.normaliser.js';
export {
  canonicalDocumentInput,
  canonicalNdsInput,
  normaliseCaseReference,
  COMPONENT_SEPARATOR,
  NDS_SEXES,
  type IdentityDocument,
  type SubjectIdentity,
} from './normalise/canonical-input.js';
export { isFullDate } from './normalise/canonical-input.js';
export {
  NAME_PARTICLES,
  coreNameTokens,
  nameParts,
  deletionVariants,
  type NameParts,
} from './normalise/name-parts.js';
export { phoneticKey } from './normalise/phonetic-key.js';
export {
  richerInputs,
  isStandInBirthDate,
  STAND_IN_MONTH_DAYS,
  type RicherKind,
} from './normalise/richer-input.js';
export { Pseudonymiser, type LinkageToken } from './pseudonymiser.js';
export { bodyDigest, IDEMPOTENCY_RECIPIENT } from './body-digest.js';
