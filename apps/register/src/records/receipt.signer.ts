import { importJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { JWS_TYPES, type RegisterReceiptClaims } from '@ketenpoort/signal-contract';
import { GATEWAY_ISSUER } from '../register.config.js';

/** Signs receipts with the register's Ed25519 key and publishes the public half as a JWKS. */
export class ReceiptSigner {
  private constructor(
    private readonly key: CryptoKey | Uint8Array,
    private readonly kid: string,
    private readonly registerId: string,
    readonly jwks: JSONWebKeySet,
  ) {}

  static async create(signingKey: JWK, registerId: string): Promise<ReceiptSigner> {
    const key = await importJWK({ ...signingKey, alg: 'EdDSA' }, 'EdDSA');
    const { kty, crv, x, kid } = signingKey;
    const jwks: JSONWebKeySet = { keys: [{ kty, crv, x, kid, alg: 'EdDSA', use: 'sig' }] as JWK[] };
    return new ReceiptSigner(key, kid!, registerId, jwks);
  }

  /** `iat` is the time the record was received, so re-signing the same receipt gives the same JWS. */
  async sign(claims: RegisterReceiptClaims): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: JWS_TYPES.registerReceipt, kid: this.kid })
      .setIssuer(this.registerId)
      .setAudience(GATEWAY_ISSUER)
      .setIssuedAt(new Date(claims.receivedAt))
      .sign(this.key);
  }
}
