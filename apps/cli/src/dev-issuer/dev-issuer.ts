import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { DEV_ISSUER_ROLES, renderDevLogin, renderDevProblem } from './dev-issuer.pages.js';

/** The console as a client of the dev issuer. */
export interface DevIssuerClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; more can be allowed once the gateway listens (`allowRedirectUri`). */
  redirectUris: string[];
}

export interface DevIssuerOptions {
  host: string;
  /** 0 picks a free port. */
  port?: number;
  tls: { certPem: string; keyPem: string };
  /** Private Ed25519 JWK with a `kid` (the dev issuer key of the data folder). */
  signingKey: JWK;
  client: DevIssuerClient;
  /** Lifetime of an ID token, seconds (default 300). */
  idTokenTtlSeconds?: number;
}

export interface RunningDevIssuer {
  /** The issuer identifier, also its base URL (`https://127.0.0.1:<port>`). */
  issuer: string;
  client: DevIssuerClient;
  allowRedirectUri(uri: string): void;
  close(): Promise<void>;
}

/** What the login form asks and the code remembers until it is redeemed. */
interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
}

interface IssuedCode extends AuthorizationRequest {
  sub: string;
  roles: string[];
  partnerScope: string[];
  authTime: number;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const MAX_BODY = 16 * 1024;
const USER = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const PARTNER_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const OPAQUE = /^[\x21-\x7e]{16,256}$/;

class DevIssuerProblem extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      reject(new DevIssuerProblem(415, 'invalid_request', 'send application/x-www-form-urlencoded'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new DevIssuerProblem(413, 'invalid_request', 'the body is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function equalSecrets(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * A small OpenID Connect issuer for the embedded default (dev mode only): discovery, JWKS, an authorization
 * endpoint whose login form lets you pick a user name, a console role and an optional partner scope, and a
 * token endpoint for the authorization code grant with PKCE (S256 only) and a confidential client. ID tokens
 * are signed with the data folder's dev issuer key and carry `roles` and `partnerScope` like the admin API's
 * bearer tokens. Codes are single-use and live a minute. No passwords: it must never run outside dev mode.
 *
 * @example const issuer = await startDevIssuer({ host: '127.0.0.1', tls, signingKey, client });
 */
export async function startDevIssuer(options: DevIssuerOptions): Promise<RunningDevIssuer> {
  if (!options.signingKey.kid || options.signingKey.crv !== 'Ed25519' || !options.signingKey.d) {
    throw new Error('dev issuer: signingKey must be a private Ed25519 JWK with a kid');
  }
  const privateKey = await importJWK(options.signingKey, 'EdDSA');
  const { d: _d, ...publicJwk } = options.signingKey;
  const jwks: JSONWebKeySet = {
    keys: [
      {
        ...(await exportJWK(await importJWK(publicJwk, 'EdDSA'))),
        kid: publicJwk.kid,
        alg: 'EdDSA',
        use: 'sig',
      },
    ],
  };
  const client: DevIssuerClient = { ...options.client, redirectUris: [...options.client.redirectUris] };
  const codes = new Map<string, IssuedCode>();
  const ttl = options.idTokenTtlSeconds ?? 300;
  let issuer = '';

  const discovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['EdDSA'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ['openid'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'roles', 'partnerScope'],
  });

  const authorizationRequest = (params: URLSearchParams): AuthorizationRequest => {
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    // Before the redirect URI is known to be the client's, errors are shown here, never redirected.
    if (clientId !== client.clientId) throw new DevIssuerProblem(400, 'invalid_request', 'unknown client_id');
    if (!client.redirectUris.includes(redirectUri))
      throw new DevIssuerProblem(400, 'invalid_request', 'redirect_uri is not registered for this client');
    if (params.get('response_type') !== 'code')
      throw new DevIssuerProblem(400, 'unsupported_response_type', 'response_type must be code');
    if (!(params.get('scope') ?? '').split(' ').includes('openid'))
      throw new DevIssuerProblem(400, 'invalid_scope', 'scope must include openid');
    if (
      params.get('code_challenge_method') !== 'S256' ||
      !/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')
    )
      throw new DevIssuerProblem(400, 'invalid_request', 'PKCE with code_challenge_method S256 is required');
    const state = params.get('state') ?? '';
    const nonce = params.get('nonce') ?? '';
    if (!OPAQUE.test(state) || !OPAQUE.test(nonce))
      throw new DevIssuerProblem(400, 'invalid_request', 'state and nonce are required');
    return { clientId, redirectUri, state, nonce, codeChallenge: params.get('code_challenge')! };
  };

  const login = (request: AuthorizationRequest, form: URLSearchParams): string => {
    const sub = (form.get('user') ?? '').trim();
    const role = form.get('role') ?? '';
    const scope = (form.get('partnerScope') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!USER.test(sub))
      throw new DevIssuerProblem(400, 'invalid_request', 'user: lower-case letters, digits, . _ -');
    if (!(DEV_ISSUER_ROLES as readonly string[]).includes(role))
      throw new DevIssuerProblem(
        400,
        'invalid_request',
        `role must be one of ${DEV_ISSUER_ROLES.join(', ')}`,
      );
    if (!scope.every((id) => PARTNER_ID.test(id)))
      throw new DevIssuerProblem(400, 'invalid_request', 'partner scope: comma-separated partner ids');
    for (const [key, value] of codes) if (value.expiresAt < Date.now()) codes.delete(key);
    if (codes.size > 10_000)
      throw new DevIssuerProblem(503, 'temporarily_unavailable', 'too many open codes');
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      ...request,
      sub,
      roles: [role],
      partnerScope: scope,
      authTime: Math.floor(Date.now() / 1000),
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', request.state);
    target.searchParams.set('iss', issuer);
    return target.toString();
  };

  const token = async (req: IncomingMessage, form: URLSearchParams) => {
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [user, pass] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      id = decodeURIComponent(user ?? '');
      secret = decodeURIComponent(pass ?? '');
    }
    if (id !== client.clientId || !equalSecrets(secret, client.clientSecret))
      throw new DevIssuerProblem(401, 'invalid_client', 'client authentication failed');
    if (form.get('grant_type') !== 'authorization_code')
      throw new DevIssuerProblem(400, 'unsupported_grant_type', 'only authorization_code');
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code);
    if (!issued || issued.expiresAt < Date.now() || issued.clientId !== id)
      throw new DevIssuerProblem(400, 'invalid_grant', 'the code is unknown, used or expired');
    if (form.get('redirect_uri') !== issued.redirectUri)
      throw new DevIssuerProblem(400, 'invalid_grant', 'redirect_uri does not match');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || challenge !== issued.codeChallenge)
      throw new DevIssuerProblem(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    const idToken = await new SignJWT({
      nonce: issued.nonce,
      auth_time: issued.authTime,
      roles: issued.roles,
      ...(issued.partnerScope.length ? { partnerScope: issued.partnerScope } : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: options.signingKey.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(issued.sub)
      .setAudience(issued.clientId)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(privateKey);
    return {
      access_token: randomBytes(32).toString('base64url'),
      token_type: 'Bearer',
      expires_in: ttl,
      scope: 'openid',
      id_token: idToken,
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration')
        return json(200, discovery());
      if (req.method === 'GET' && url.pathname === '/jwks') return json(200, jwks);
      if (url.pathname === '/authorize' && req.method === 'GET') {
        const request = authorizationRequest(url.searchParams);
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          // form-action also governs the redirect after the POST: allow the client's callback origins.
          'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${[
            ...new Set(client.redirectUris.map((uri) => new URL(uri).origin)),
          ].join(' ')}`,
        });
        return res.end(renderDevLogin(url.searchParams, request.clientId));
      }
      if (url.pathname === '/authorize' && req.method === 'POST') {
        const form = await readBody(req);
        const target = login(authorizationRequest(form), form);
        res.writeHead(303, { location: target, 'cache-control': 'no-store' });
        return res.end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        return json(200, await token(req, await readBody(req)));
      }
      throw new DevIssuerProblem(404, 'not_found', 'not found');
    } catch (error) {
      const problem =
        error instanceof DevIssuerProblem
          ? error
          : new DevIssuerProblem(500, 'server_error', 'internal error');
      if (url.pathname === '/token')
        return json(problem.status, { error: problem.error, error_description: problem.message });
      res.writeHead(problem.status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(renderDevProblem(problem.error, problem.message));
    }
  };

  const server: Server = createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, (req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  issuer = `https://${host}:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    client,
    allowRedirectUri(uri: string) {
      if (!client.redirectUris.includes(uri)) client.redirectUris.push(uri);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
