import { randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { JWS_TYPES, type RegisterRecord } from '@ketenpoort/signal-contract';
import { createTestPki, httpsRequest, type HttpsAnswer, type TestPki } from '@ketenpoort/testing';
import type { PemPair } from '@ketenpoort/pki';
import type { RegisterConfig } from '../../apps/register/src/main.js';

export const REGISTER_ID = 'register-test';
export const ANALYST_ISSUER = 'https://issuer.test';
export const ANALYST_AUDIENCE = 'ketenpoort-register';

export interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
  kid: string;
}

export async function anEd25519Key(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  return {
    privateKey,
    kid,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' },
    privateJwk: { ...(await exportJWK(privateKey)), kid },
  };
}

export interface RegisterFixture {
  pki: TestPki;
  gatewayKey: SigningKey;
  registerKey: SigningKey;
  analystKey: SigningKey;
  config(databaseUrl: string): RegisterConfig;
}

export async function createRegisterFixture(): Promise<RegisterFixture> {
  const pki = createTestPki();
  const [gatewayKey, registerKey, analystKey] = await Promise.all([
    anEd25519Key(),
    anEd25519Key(),
    anEd25519Key(),
  ]);
  return {
    pki,
    gatewayKey,
    registerKey,
    analystKey,
    config: (databaseUrl) => ({
      registerId: REGISTER_ID,
      databaseUrl,
      host: '127.0.0.1',
      intakePort: 0,
      apiPort: 0,
      tls: {
        certPem: pki.registerServer.certPem,
        keyPem: pki.registerServer.keyPem,
        clientCaPems: [pki.ca.certPem],
        allowedClientCommonNames: ['gateway'],
      },
      gatewayJwks: { keys: [gatewayKey.publicJwk] },
      signingKey: registerKey.privateJwk,
      analystTokens: {
        issuer: ANALYST_ISSUER,
        audience: ANALYST_AUDIENCE,
        jwks: { keys: [analystKey.publicJwk] },
      },
      logger: new ConsoleLogger({ json: true, logLevels: ['error'] }),
    }),
  };
}

/** Signs a record as the gateway does. */
export function signRecord(
  record: RegisterRecord,
  key: SigningKey,
  overrides: { audience?: string; typ?: string; jti?: string } = {},
): Promise<string> {
  return new SignJWT({ record })
    .setProtectedHeader({ alg: 'EdDSA', typ: overrides.typ ?? JWS_TYPES.record, kid: key.kid })
    .setIssuer('ketenpoort-gateway')
    .setAudience(overrides.audience ?? REGISTER_ID)
    .setIssuedAt()
    .setJti(overrides.jti ?? record.recordId)
    .sign(key.privateKey);
}

/** Signs a batch as the gateway does: once over the id and digest of each record (`jti` the batch id). */
export function signBatch(
  entries: Array<{ recordId: string; payloadDigest: string }>,
  key: SigningKey,
  batchId: string = randomUUID(),
): Promise<string> {
  return new SignJWT({ records: entries })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'ketenpoort-record-batch+jws', kid: key.kid })
    .setIssuer('ketenpoort-gateway')
    .setAudience(REGISTER_ID)
    .setIssuedAt()
    .setJti(batchId)
    .sign(key.privateKey);
}

/** POST /v1/records/batch over mTLS with the gateway's client certificate. */
export function deliverBatch(
  intakeUrl: string,
  pki: TestPki,
  batch: string,
  records: unknown[],
): Promise<HttpsAnswer> {
  return httpsRequest(`${intakeUrl}/v1/records/batch`, {
    method: 'POST',
    body: JSON.stringify({ batch, records }),
    headers: { 'content-type': 'application/vnd.ketenpoort.record-batch+json' },
    ca: pki.ca.certPem,
    cert: pki.gatewayClient.certPem,
    key: pki.gatewayClient.keyPem,
  });
}

export function analystToken(key: SigningKey, roles: string[], expiresIn = '5m'): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setIssuer(ANALYST_ISSUER)
    .setAudience(ANALYST_AUDIENCE)
    .setSubject('analyst-1')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key.privateKey);
}

/** POST /v1/records over mTLS with the given client certificate (the gateway's by default). */
export function deliver(
  intakeUrl: string,
  pki: TestPki,
  jws: string,
  client: PemPair | null = pki.gatewayClient,
  contentType = 'application/jose',
): Promise<HttpsAnswer> {
  return httpsRequest(`${intakeUrl}/v1/records`, {
    method: 'POST',
    body: jws,
    headers: { 'content-type': contentType },
    ca: pki.ca.certPem,
    ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
  });
}

export function getStatistics(
  apiUrl: string,
  pki: TestPki,
  query: string,
  token?: string,
): Promise<HttpsAnswer> {
  return httpsRequest(`${apiUrl}/v1/statistics?${query}`, {
    ca: pki.ca.certPem,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}
