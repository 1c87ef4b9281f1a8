import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { JWS_TYPES } from '@ketenpoort/signal-contract';
import { RegisterError } from '../common/register.error.js';
import { GATEWAY_ISSUER } from '../register.config.js';
import type { JSONWebKeySet } from 'jose';

export interface VerifiedDelivery {
  /** The `record` claim, untouched (its digest is taken over exactly this). */
  record: unknown;
  jti: string;
  kid: string | undefined;
}

/**
 * Verifies a record JWS from the gateway: EdDSA, `typ`, issuer, this register as audience, `iat` and
 * `jti` present. Not rejected by age: the gateway's outbox may retry for days.
 */
export class GatewayRecordVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;

  constructor(
    gatewayJwks: JSONWebKeySet,
    private readonly registerId: string,
  ) {
    this.keys = createLocalJWKSet(gatewayJwks);
  }

  async verify(jws: string): Promise<VerifiedDelivery> {
    let payload: JWTPayload;
    let kid: string | undefined;
    try {
      const result = await jwtVerify(jws, this.keys, {
        algorithms: ['EdDSA'],
        typ: JWS_TYPES.record,
        issuer: GATEWAY_ISSUER,
        audience: this.registerId,
        requiredClaims: ['iat', 'jti'],
      });
      payload = result.payload;
      kid = result.protectedHeader.kid;
    } catch (error) {
      throw new RegisterError('RECORD.SIGNATURE_INVALID', describe(error));
    }
    if (typeof payload.jti !== 'string') {
      throw new RegisterError('RECORD.SIGNATURE_INVALID', 'jti must be a string');
    }
    return { record: (payload as { record?: unknown }).record, jti: payload.jti, kid };
  }

  /** A batch JWS: `{ records: [{ recordId, payloadDigest }] }`, `typ` ketenpoort-record-batch+jws, `jti` the batch id. */
  async verifyBatch(jws: string): Promise<VerifiedBatch> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jws, this.keys, {
        algorithms: ['EdDSA'],
        typ: RECORD_BATCH_JWS_TYPE,
        issuer: GATEWAY_ISSUER,
        audience: this.registerId,
        requiredClaims: ['iat', 'jti'],
      }));
    } catch (error) {
      throw new RegisterError('RECORD.SIGNATURE_INVALID', describe(error));
    }
    const records = (payload as { records?: unknown }).records;
    const valid =
      typeof payload.jti === 'string' &&
      Array.isArray(records) &&
      records.every(
        (r: { recordId?: unknown; payloadDigest?: unknown }) =>
          typeof r?.recordId === 'string' && typeof r?.payloadDigest === 'string',
      );
    if (!valid) throw new RegisterError('RECORD.SIGNATURE_INVALID', 'the batch claims are incomplete');
    return { batchId: payload.jti as string, entries: records as VerifiedBatch['entries'] };
  }
}

/** The JWS type of a record batch: signed once over the ids and digests of its records. */
export const RECORD_BATCH_JWS_TYPE = 'ketenpoort-record-batch+jws';

export interface VerifiedBatch {
  batchId: string;
  /** What the signature covers: each record's id and the digest of its canonical JSON. */
  entries: Array<{ recordId: string; payloadDigest: string }>;
}

/** A reason without any part of the token. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTClaimValidationFailed)
    return `claim "${error.claim}" check failed (${error.reason})`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'no gateway key matches the signature';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JOSEError) return `not a valid record JWS (${error.code})`;
  return 'not a valid record JWS';
}
