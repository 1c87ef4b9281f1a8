import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { JWS_TYPES, type RegisterReceiptClaims, type RegisterRecord } from '@ketenpoort/signal-contract';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';

/** The JWS type of a record batch (the register's verifier names the same). */
export const RECORD_BATCH_JWS_TYPE = 'ketenpoort-record-batch+jws';

/** Signs records for the register (compact JWS, EdDSA) and verifies the register's signed receipts. */
@Injectable()
export class RecordSigner {
  private key?: Promise<CryptoKey | Uint8Array>;
  private readonly receiptKeys: JWTVerifyGetKey;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.receiptKeys = createLocalJWKSet(config.register.receiptJwks);
  }

  async sign(record: RegisterRecord): Promise<string> {
    this.key ??= importJWK(this.config.signingKey, 'EdDSA');
    return new SignJWT({ record })
      .setProtectedHeader({ alg: 'EdDSA', typ: JWS_TYPES.record, kid: this.config.signingKey.kid })
      .setIssuer(this.config.gatewayId)
      .setAudience(this.config.register.registerId)
      .setIssuedAt()
      .setJti(record.recordId)
      .sign(await this.key);
  }

  /**
   * Signs a batch once over the id and digest of each of its records (`jti` the batch id): each record
   * stays verifiable alone by recomputing its digest and finding it in the signed list.
   */
  async signBatch(
    batchId: string,
    entries: Array<{ recordId: string; payloadDigest: string }>,
  ): Promise<string> {
    this.key ??= importJWK(this.config.signingKey, 'EdDSA');
    return new SignJWT({ records: entries })
      .setProtectedHeader({ alg: 'EdDSA', typ: RECORD_BATCH_JWS_TYPE, kid: this.config.signingKey.kid })
      .setIssuer(this.config.gatewayId)
      .setAudience(this.config.register.registerId)
      .setIssuedAt()
      .setJti(batchId)
      .sign(await this.key);
  }

  /** Verifies a receipt's signature, issuer, audience and type; returns its claims. */
  async verifyReceipt(jws: string): Promise<RegisterReceiptClaims> {
    const { payload } = await jwtVerify(jws, this.receiptKeys, {
      issuer: this.config.register.registerId,
      audience: this.config.gatewayId,
      typ: JWS_TYPES.registerReceipt,
      algorithms: ['EdDSA'],
    });
    const { recordId, payloadDigest, receivedAt } = payload as Partial<RegisterReceiptClaims>;
    if (typeof recordId !== 'string' || typeof payloadDigest !== 'string' || typeof receivedAt !== 'string') {
      throw new Error('REGISTER.RECEIPT_INCOMPLETE');
    }
    return { recordId, payloadDigest, receivedAt };
  }
}
