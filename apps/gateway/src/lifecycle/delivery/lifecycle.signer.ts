import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import {
  LIFECYCLE_JWS_TYPES,
  type RecordRemovalClaims,
  type RecordRemovalReceiptClaims,
  type RetentionReportClaims,
} from '@ketenpoort/signal-contract';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';

/**
 * Signs removal requests for the register with the gateway's record key (own `typ`, so a removal can never
 * pass for a record) and verifies what the register signs back: removal receipts and retention reports.
 */
@Injectable()
export class LifecycleSigner {
  private key?: Promise<CryptoKey | Uint8Array>;
  private readonly registerKeys: JWTVerifyGetKey;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.registerKeys = createLocalJWKSet(config.register.receiptJwks);
  }

  async signRemoval(removal: RecordRemovalClaims, messageId: string): Promise<string> {
    this.key ??= importJWK(this.config.signingKey, 'EdDSA');
    return new SignJWT({ removal })
      .setProtectedHeader({
        alg: 'EdDSA',
        typ: LIFECYCLE_JWS_TYPES.recordRemoval,
        kid: this.config.signingKey.kid,
      })
      .setIssuer(this.config.gatewayId)
      .setAudience(this.config.register.registerId)
      .setIssuedAt()
      .setJti(messageId)
      .sign(await this.key);
  }

  async verifyRemovalReceipt(jws: string): Promise<RecordRemovalReceiptClaims> {
    const payload = await this.verify(jws, LIFECYCLE_JWS_TYPES.removalReceipt);
    const { recordId, cause, removed, removedAt, keptGrounds } =
      payload as Partial<RecordRemovalReceiptClaims>;
    if (typeof recordId !== 'string' || typeof removed !== 'boolean' || !Array.isArray(keptGrounds))
      throw new Error('REGISTER.RECEIPT_INCOMPLETE');
    return { recordId, cause: cause!, removed, removedAt: String(removedAt), keptGrounds };
  }

  async verifyRetentionReport(jws: string): Promise<RetentionReportClaims> {
    const payload = (await this.verify(
      jws,
      LIFECYCLE_JWS_TYPES.retentionReport,
    )) as Partial<RetentionReportClaims>;
    const ok =
      typeof payload.reportId === 'string' &&
      Number.isSafeInteger(payload.seq) &&
      typeof payload.ranAt === 'string' &&
      Array.isArray(payload.deleted) &&
      payload.deleted.every((d) => typeof d?.purpose === 'string' && Number.isSafeInteger(d?.count));
    if (!ok) throw new Error('REGISTER.REPORT_INCOMPLETE');
    return payload as RetentionReportClaims;
  }

  private async verify(jws: string, typ: string): Promise<Record<string, unknown>> {
    const { payload } = await jwtVerify(jws, this.registerKeys, {
      issuer: this.config.register.registerId,
      audience: this.config.gatewayId,
      typ,
      algorithms: ['EdDSA'],
    });
    return payload;
  }
}
