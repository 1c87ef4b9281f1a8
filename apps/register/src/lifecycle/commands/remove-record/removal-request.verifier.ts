import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  LIFECYCLE_JWS_TYPES,
  RETRACTION_REASONS,
  type RecordRemovalClaims,
} from '@ketenpoort/signal-contract';
import { RegisterError } from '../../../common/register.error.js';
import { GATEWAY_ISSUER } from '../../../register.config.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Verifies the gateway's signed removal request: EdDSA, typ, issuer, this register as audience, jti. */
export class RemovalRequestVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;

  constructor(
    gatewayJwks: JSONWebKeySet,
    private readonly registerId: string,
  ) {
    this.keys = createLocalJWKSet(gatewayJwks);
  }

  async verify(jws: string): Promise<{ removal: RecordRemovalClaims; jti: string }> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(jws, this.keys, {
        algorithms: ['EdDSA'],
        typ: LIFECYCLE_JWS_TYPES.recordRemoval,
        issuer: GATEWAY_ISSUER,
        audience: this.registerId,
        requiredClaims: ['iat', 'jti'],
      }));
    } catch {
      throw new RegisterError('RECORD.SIGNATURE_INVALID', 'not a valid removal request JWS');
    }
    const removal = payload.removal as Partial<RecordRemovalClaims> | undefined;
    const problems: { path: string; reasons: string[] }[] = [];
    if (typeof removal?.recordId !== 'string' || !UUID.test(removal.recordId))
      problems.push({ path: 'removal.recordId', reasons: ['must be a UUID'] });
    if (!['retracted', 'consent-withdrawn', 'superseded'].includes(removal?.cause as string))
      problems.push({
        path: 'removal.cause',
        reasons: ['must be retracted, consent-withdrawn or superseded'],
      });
    if (removal?.reason !== undefined && !(RETRACTION_REASONS as readonly unknown[]).includes(removal.reason))
      problems.push({ path: 'removal.reason', reasons: ['must be a retraction reason code'] });
    if (problems.length || typeof payload.jti !== 'string')
      throw new RegisterError('RECORD.INVALID', 'not a valid removal request', problems);
    return { removal: removal as RecordRemovalClaims, jti: payload.jti as string };
  }
}
