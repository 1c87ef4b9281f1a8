import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import { ensureDevPki } from '@ketenpoort/pki';
import { httpsRequest } from '@ketenpoort/testing';
import { startDevIssuer, type RunningDevIssuer } from './dev-issuer.js';

const REDIRECT = 'https://127.0.0.1:1/console/callback';
const SECRET = 'a-long-enough-test-client-secret';

describe(startDevIssuer.name, () => {
  let dir: string;
  let ca: string;
  let sut: RunningDevIssuer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-dev-issuer-'));
    const pki = ensureDevPki(dir, []);
    ca = readFileSync(pki.caCert, 'utf8');
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    sut = await startDevIssuer({
      host: '127.0.0.1',
      tls: {
        certPem: readFileSync(pki.gatewayServer.cert, 'utf8'),
        keyPem: readFileSync(pki.gatewayServer.key, 'utf8'),
      },
      signingKey: { ...(await exportJWK(privateKey)), kid: 'dev-issuer-test' },
      client: { clientId: 'console', clientSecret: SECRET, redirectUris: [REDIRECT] },
    });
  }, 60_000);

  afterAll(async () => {
    await sut?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    httpsRequest(url, {
      method: 'POST',
      ca,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  const authorize = async (verifier: string, overrides: Record<string, string> = {}) => {
    const answer = await form(`${sut.issuer}/authorize`, {
      client_id: 'console',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: randomBytes(16).toString('base64url'),
      nonce: 'nonce-of-this-test-0001',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      user: 'olga',
      role: 'privacy-officer',
      partnerScope: 'kmar',
      ...overrides,
    });
    return answer;
  };

  const codeOf = (location: unknown) => new URL(String(location)).searchParams.get('code')!;

  const redeem = (code: string, verifier: string, secret = SECRET) =>
    form(
      `${sut.issuer}/token`,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: `Basic ${Buffer.from(`console:${secret}`).toString('base64')}` },
    );

  it('publishes a discovery document that names itself as issuer', async () => {
    const discovery = (await httpsRequest(`${sut.issuer}/.well-known/openid-configuration`, { ca })).json<{
      issuer: string;
      code_challenge_methods_supported: string[];
    }>();
    expect(discovery).toMatchObject({ issuer: sut.issuer, code_challenge_methods_supported: ['S256'] });
  });

  it('issues an ID token with roles, partner scope and nonce for the right code verifier', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const authorized = await authorize(verifier);
    expect(authorized.status).toBe(303);
    const tokens = (await redeem(codeOf(authorized.headers.location), verifier)).json<{ id_token: string }>();
    const jwks = (await httpsRequest(`${sut.issuer}/jwks`, { ca })).json<JSONWebKeySet>();
    const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), {
      issuer: sut.issuer,
      audience: 'console',
    });
    expect(payload).toMatchObject({
      sub: 'olga',
      roles: ['privacy-officer'],
      partnerScope: ['kmar'],
      nonce: 'nonce-of-this-test-0001',
    });
  });

  it('refuses a code verifier that does not match the challenge', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const authorized = await authorize(verifier);
    const answer = await redeem(codeOf(authorized.headers.location), randomBytes(32).toString('base64url'));
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('redeems a code only once', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = codeOf((await authorize(verifier)).headers.location);
    expect((await redeem(code, verifier)).status).toBe(200);
    expect((await redeem(code, verifier)).status).toBe(400);
  });

  it('refuses a client with the wrong secret', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = codeOf((await authorize(verifier)).headers.location);
    expect((await redeem(code, verifier, 'not-the-secret-of-the-client')).status).toBe(401);
  });

  it('refuses an unregistered redirect URI without redirecting to it', async () => {
    const answer = await authorize(randomBytes(32).toString('base64url'), {
      redirect_uri: 'https://attacker.example/cb',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.location).toBeUndefined();
  });

  it('refuses an authorization request without PKCE', async () => {
    const answer = await authorize(randomBytes(32).toString('base64url'), { code_challenge_method: 'plain' });
    expect(answer.status).toBe(400);
  });
});
