import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import { writePrivateKeyFile } from '@ketenpoort/pki';
import {
  generateKeyRingData,
  KeyRing,
  loadKeyRingFile,
  writeKeyRingFile,
} from '@ketenpoort/pseudonymisation';

export interface StackKeys {
  keyRing: KeyRing;
  gatewaySigning: JWK;
  gatewayJwks: JSONWebKeySet;
  registerSigning: JWK;
  registerJwks: JSONWebKeySet;
  devIssuer: JWK;
  devIssuerJwks: JSONWebKeySet;
  auditSigning: JWK;
  auditJwks: JSONWebKeySet;
}

const SIGNING_KEYS = ['gateway-signing', 'register-signing', 'dev-issuer', 'audit-signing'] as const;
const PUBLIC_SETS: Record<(typeof SIGNING_KEYS)[number], string> = {
  'gateway-signing': 'gateway.jwks.json',
  'register-signing': 'register.jwks.json',
  'dev-issuer': 'dev-issuer.jwks.json',
  'audit-signing': 'audit.jwks.json',
};

export function keyPaths(dataDir: string) {
  const dir = join(dataDir, 'keys');
  return {
    dir,
    keyRing: join(dir, 'pseudonymisation.json'),
    privateJwk: (name: string) => join(dir, `${name}.jwk.json`),
    publicJwks: (name: (typeof SIGNING_KEYS)[number]) => join(dir, PUBLIC_SETS[name]),
  };
}

/**
 * Dev mode only: creates whatever key is missing — the pseudonymisation key ring and Ed25519 keys for the
 * gateway's records, the register's receipts and the dev token issuer. Private files are owner-only.
 */
export async function ensureDevKeys(dataDir: string): Promise<void> {
  const paths = keyPaths(dataDir);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.keyRing)) writeKeyRingFile(paths.keyRing, generateKeyRingData());
  for (const name of SIGNING_KEYS) {
    if (existsSync(paths.privateJwk(name))) continue;
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = `${name}-${randomUUID().slice(0, 8)}`;
    const priv = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' };
    const pub = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    writePrivateKeyFile(paths.privateJwk(name), JSON.stringify(priv, null, 2));
    writeFileSync(paths.publicJwks(name), JSON.stringify({ keys: [pub] }, null, 2), { mode: 0o644 });
  }
}

/**
 * Reads the keys; never generates. Private key files must be owner-only unless `allowInsecureMode`
 * (never outside dev mode).
 */
export function loadStackKeys(dataDir: string, opts: { allowInsecureMode?: boolean } = {}): StackKeys {
  const paths = keyPaths(dataDir);
  const privateJwk = (name: (typeof SIGNING_KEYS)[number]): JWK => {
    const file = paths.privateJwk(name);
    if (!existsSync(file))
      throw new Error(`missing key file ${file}; outside dev mode keys are never generated`);
    return JSON.parse(readOwnerOnlyFile(file, opts)) as JWK;
  };
  const publicJwks = (name: (typeof SIGNING_KEYS)[number]): JSONWebKeySet =>
    JSON.parse(readFileSync(paths.publicJwks(name), 'utf8')) as JSONWebKeySet;
  if (!existsSync(paths.keyRing))
    throw new Error(`missing key ring ${paths.keyRing}; outside dev mode keys are never generated`);
  return {
    keyRing: loadKeyRingFile(paths.keyRing, opts),
    gatewaySigning: privateJwk('gateway-signing'),
    gatewayJwks: publicJwks('gateway-signing'),
    registerSigning: privateJwk('register-signing'),
    registerJwks: publicJwks('register-signing'),
    devIssuer: privateJwk('dev-issuer'),
    devIssuerJwks: publicJwks('dev-issuer'),
    auditSigning: privateJwk('audit-signing'),
    auditJwks: publicJwks('audit-signing'),
  };
}

/** Reads a secret file, refusing one that group or others may read (unless explicitly allowed in dev). */
export function readOwnerOnlyFile(path: string, opts: { allowInsecureMode?: boolean } = {}): string {
  const mode = statSync(path).mode & 0o777;
  if (!opts.allowInsecureMode && (mode & 0o077) !== 0) {
    throw new Error(`key file ${path} is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
  }
  return readFileSync(path, 'utf8');
}
