import { describe, expect, it } from '@jest/globals';
import { validateRegisterConfig, type RegisterConfig } from './register.config.js';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const valid = (): RegisterConfig => ({
  registerId: 'register',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/register',
  host: '127.0.0.1',
  intakePort: 0,
  apiPort: 0,
  tls: {
    certPem: CERT,
    keyPem: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    clientCaPems: [CERT],
    allowedClientCommonNames: ['ketenpoort-gateway'],
  },
  gatewayJwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'x' }] },
  signingKey: { kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'secret-d', kid: 'k1' },
  analystTokens: {
    issuer: 'https://issuer',
    audience: 'register',
    jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'x' }] },
  },
});

describe(validateRegisterConfig.name, () => {
  const sut = validateRegisterConfig;

  it('accepts a complete config', () => {
    expect(sut(valid())).toEqual(valid());
  });

  it('names every bad setting in one message', () => {
    const config = { ...valid(), intakePort: 70000, gatewayJwks: { keys: [] } };
    expect(() => sut(config)).toThrow(/intakePort.*gatewayJwks/);
  });

  it('refuses a signing key without its private part, without echoing the key', () => {
    const config = { ...valid(), signingKey: { kty: 'OKP', crv: 'Ed25519', x: 'public-x', kid: 'k1' } };
    expect(() => sut(config)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('public-x') }),
    );
  });

  it('refuses a config without allowed client names', () => {
    const config = { ...valid(), tls: { ...valid().tls, allowedClientCommonNames: [] } };
    expect(() => sut(config)).toThrow(/allowedClientCommonNames/);
  });
});
