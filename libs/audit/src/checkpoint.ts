import canonicalize from 'canonicalize';
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { AuditError } from './audit.error.js';
import { verifyConsistency } from './merkle-proof.js';

/** A signed statement of the log's state: origin, size, base64 root hash and ISO time. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: string;
  time: string;
}

/** The JWS `typ` of the operator's checkpoint signature. */
export const CHECKPOINT_JWS_TYPE = 'ketenpoort-checkpoint+jws';
/** The JWS `typ` of a witness's cosignature over the same checkpoint. */
export const COSIGNATURE_JWS_TYPE = 'ketenpoort-cosignature+jws';

const ALG = 'EdDSA';
const ROOT_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/** A verified signature: the checkpoint and the id of the key that signed it. */
export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  kid: string;
}

/** An Ed25519 key pair as JWKs, `kid` = RFC 7638 thumbprint. */
export interface AuditKeyPair {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * Creates an Ed25519 signing key for checkpoints or cosignatures.
 *
 * @example const { privateJwk, publicJwk } = await generateAuditKeyPair();
 */
export async function generateAuditKeyPair(): Promise<AuditKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    privateJwk: { ...privateJwk, kid, alg: ALG },
    publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
  };
}

/**
 * Refuses anything but a well-formed checkpoint; returns a clean copy with exactly the four members.
 *
 * @example assertCheckpoint(JSON.parse(text))
 */
export function assertCheckpoint(value: unknown): Checkpoint {
  const cp = value as Checkpoint;
  const ok =
    cp !== null &&
    typeof cp === 'object' &&
    typeof cp.origin === 'string' &&
    cp.origin.length > 0 &&
    Number.isSafeInteger(cp.size) &&
    cp.size >= 0 &&
    typeof cp.rootHash === 'string' &&
    ROOT_PATTERN.test(cp.rootHash) &&
    typeof cp.time === 'string' &&
    !Number.isNaN(Date.parse(cp.time)) &&
    Object.keys(cp).length === 4;
  if (!ok)
    throw new AuditError('AUDIT.CHECKPOINT_MALFORMED', 'checkpoint needs origin, size, rootHash, time');
  return { origin: cp.origin, size: cp.size, rootHash: cp.rootHash, time: cp.time };
}

async function sign(cp: Checkpoint, privateJwk: JWK, typ: string): Promise<string> {
  const checkpoint = assertCheckpoint(cp);
  if (!privateJwk.kid) throw new AuditError('AUDIT.KEY_INVALID', 'the signing key has no kid');
  const key = await importJWK(privateJwk, ALG);
  return new CompactSign(new TextEncoder().encode(canonicalize(checkpoint)))
    .setProtectedHeader({ alg: ALG, typ, kid: privateJwk.kid })
    .sign(key);
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;
const keySets = new WeakMap<JSONWebKeySet, { text: string; keySet: LocalKeySet }>();

/** jose imports each key once per key set: reuse the set while the JWKS is unchanged (a verifier checks thousands). */
function localKeySet(jwks: JSONWebKeySet): LocalKeySet {
  const text = JSON.stringify(jwks);
  const cached = keySets.get(jwks);
  if (cached?.text === text) return cached.keySet;
  const keySet = createLocalJWKSet(jwks);
  keySets.set(jwks, { text, keySet });
  return keySet;
}

async function verify(jws: string, jwks: JSONWebKeySet, typ: string): Promise<VerifiedCheckpoint> {
  let result;
  try {
    result = await compactVerify(jws, localKeySet(jwks), { algorithms: [ALG] });
  } catch {
    throw new AuditError(
      'AUDIT.SIGNATURE_INVALID',
      `${typ} signature does not verify against the given keys`,
    );
  }
  if (result.protectedHeader.typ !== typ) {
    throw new AuditError(
      'AUDIT.SIGNATURE_INVALID',
      `expected a ${typ}, got ${String(result.protectedHeader.typ)}`,
    );
  }
  const text = new TextDecoder().decode(result.payload);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AuditError('AUDIT.CHECKPOINT_MALFORMED', 'checkpoint payload is not JSON');
  }
  const checkpoint = assertCheckpoint(parsed);
  if (canonicalize(checkpoint) !== text) {
    throw new AuditError('AUDIT.CHECKPOINT_MALFORMED', 'checkpoint payload is not canonical JSON');
  }
  return { checkpoint, kid: String(result.protectedHeader.kid) };
}

/**
 * Signs a checkpoint as the log operator: compact JWS, EdDSA (Ed25519), typ `ketenpoort-checkpoint+jws`,
 * payload the RFC 8785 JSON of the checkpoint.
 *
 * @example const jws = await signCheckpoint({ origin, size, rootHash, time }, auditPrivateJwk);
 */
export function signCheckpoint(checkpoint: Checkpoint, privateJwk: JWK): Promise<string> {
  return sign(checkpoint, privateJwk, CHECKPOINT_JWS_TYPE);
}

/**
 * Verifies the operator's signature against a JWKS; throws AUDIT.SIGNATURE_INVALID / AUDIT.CHECKPOINT_MALFORMED.
 *
 * @example const { checkpoint } = await verifyCheckpoint(jws, auditJwks);
 */
export function verifyCheckpoint(jws: string, jwks: JSONWebKeySet): Promise<VerifiedCheckpoint> {
  return verify(jws, jwks, CHECKPOINT_JWS_TYPE);
}

/**
 * Cosigns a checkpoint as a witness (the register): a second JWS over the same payload, typ
 * `ketenpoort-cosignature+jws`. Call `checkConsistentCheckpoint` against the last cosigned one first.
 *
 * @example const cosignature = await cosignCheckpoint(checkpoint, witnessPrivateJwk);
 */
export function cosignCheckpoint(checkpoint: Checkpoint, witnessPrivateJwk: JWK): Promise<string> {
  return sign(checkpoint, witnessPrivateJwk, COSIGNATURE_JWS_TYPE);
}

/**
 * Verifies a witness cosignature and that it covers exactly `checkpoint`.
 *
 * @example await verifyCosignature(cosignature, checkpoint, witnessJwks)
 */
export async function verifyCosignature(
  jws: string,
  checkpoint: Checkpoint,
  witnessJwks: JSONWebKeySet,
): Promise<VerifiedCheckpoint> {
  const verified = await verify(jws, witnessJwks, COSIGNATURE_JWS_TYPE);
  if (canonicalize(verified.checkpoint) !== canonicalize(assertCheckpoint(checkpoint))) {
    throw new AuditError('AUDIT.COSIGNATURE_MISMATCH', 'the cosignature covers another checkpoint');
  }
  return verified;
}

/**
 * The guard every signer and witness runs before signing `next`: same origin, no size or time regress,
 * and — unless there is no earlier checkpoint — a valid RFC 6962 consistency proof from `previous`.
 * Throws AUDIT.CHECKPOINT_INCONSISTENT; never sign a checkpoint that fails it.
 *
 * @example checkConsistentCheckpoint(lastCosigned, candidate, proof)
 */
export function checkConsistentCheckpoint(
  previous: Checkpoint | undefined,
  next: Checkpoint,
  proof: readonly Uint8Array[],
): void {
  const cp = assertCheckpoint(next);
  if (!previous) return;
  const prev = assertCheckpoint(previous);
  const fail = (why: string): never => {
    throw new AuditError(
      'AUDIT.CHECKPOINT_INCONSISTENT',
      `checkpoint of size ${cp.size} ${why} (previous size ${prev.size})`,
    );
  };
  if (cp.origin !== prev.origin) fail('has another origin');
  if (cp.size < prev.size) fail('is smaller than the previous one');
  if (Date.parse(cp.time) < Date.parse(prev.time)) fail('is older than the previous one');
  const ok = verifyConsistency(
    prev.size,
    cp.size,
    Buffer.from(prev.rootHash, 'base64'),
    Buffer.from(cp.rootHash, 'base64'),
    proof,
  );
  if (!ok) fail('does not extend the previous one (consistency proof fails)');
}
