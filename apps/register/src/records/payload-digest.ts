import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** `sha256:` + hex SHA-256 of the RFC 8785 canonical JSON of the record, as the gateway computes it. */
export function payloadDigest(record: unknown): string {
  const canonical = canonicalize(record);
  if (canonical === undefined) throw new TypeError('record cannot be canonicalised');
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}
