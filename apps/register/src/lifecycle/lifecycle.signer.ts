import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import {
  LIFECYCLE_JWS_TYPES,
  type RecordRemovalReceiptClaims,
  type RetentionReportClaims,
} from '@ketenpoort/signal-contract';
import { GATEWAY_ISSUER } from '../register.config.js';

/** Signs removal receipts and retention reports for the gateway with the register's receipt key. */
export class LifecycleSigner {
  private key?: Promise<CryptoKey | Uint8Array>;

  constructor(
    private readonly signingKey: JWK,
    private readonly registerId: string,
  ) {}

  removalReceipt(claims: RecordRemovalReceiptClaims, jti: string): Promise<string> {
    return this.sign({ ...claims }, LIFECYCLE_JWS_TYPES.removalReceipt, jti, new Date(claims.removedAt));
  }

  retentionReport(claims: RetentionReportClaims): Promise<string> {
    return this.sign(
      { ...claims },
      LIFECYCLE_JWS_TYPES.retentionReport,
      claims.reportId,
      new Date(claims.ranAt),
    );
  }

  private async sign(claims: Record<string, unknown>, typ: string, jti: string, at: Date): Promise<string> {
    this.key ??= importJWK({ ...this.signingKey, alg: 'EdDSA' }, 'EdDSA');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ, kid: this.signingKey.kid })
      .setIssuer(this.registerId)
      .setAudience(GATEWAY_ISSUER)
      .setIssuedAt(at)
      .setJti(jti)
      .sign(await this.key);
  }
}
