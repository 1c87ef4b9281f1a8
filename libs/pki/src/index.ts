export { PkiError } from './pki.error.js';
export type { PemPair } from './certificate.builder.js';
export { createDevCa, isDevCa, assertNoDevCa, DEV_CA_MARKER, DEV_CA_ORGANISATION } from './dev-ca.js';
export { issueCertificate, type IssueCertificateOptions } from './issue-certificate.js';
export { signCsr, type SignCsrOptions } from './sign-csr.js';
export { certificateFingerprint } from './certificate-fingerprint.js';
export {
  identityFromPeerCertificate,
  identityFromPem,
  type CertificateIdentity,
} from './certificate-identity.js';
export {
  loadPartnersFile,
  parsePartnersYaml,
  readTrustedCaCertificates,
  type TrustedCa,
  type PartnerConfig,
  type PartnerRateLimit,
  type PartnersFile,
} from './partners-file.loader.js';
export { diffPartnerTables, type PartnerTableChange, type PartnerTableDiff } from './partner-table.diff.js';
export { PartnerDirectory } from './partner.directory.js';
export {
  ensureDevPki,
  devPkiPaths,
  readDevCa,
  partnerCertificateOptions,
  type DevPkiPaths,
  type CertKeyPaths,
} from './dev-pki.bootstrap.js';
export { readPrivateKeyFile, writePrivateKeyFile, writeCertificateFile } from './private-key-file.js';
export {
  createCrl,
  parseCrl,
  verifyCrl,
  normaliseSerial,
  serialAndIssuerOf,
  type CreateCrlOptions,
  type ParsedCrl,
  type RevokedCertificate,
  type RevocationReason,
} from './revocation-list.js';
export { RevocationChecker, type CrlProblem } from './revocation-checker.js';
export { devCrlPath, ensureDevCrl, revokeInDevCrl } from './revocation.dev-crl.js';
