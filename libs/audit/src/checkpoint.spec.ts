import { beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import {
  checkConsistentCheckpoint,
  cosignCheckpoint,
  generateAuditKeyPair,
  signCheckpoint,
  verifyCheckpoint,
  verifyCosignature,
  type AuditKeyPair,
  type Checkpoint,
} from './checkpoint.js';
import { leafHash } from './merkle-hash.js';
import { MerkleTree } from './merkle-tree.js';

const tree = MerkleTree.fromLeafHashes(Array.from({ length: 30 }, (_, i) => leafHash(`e${i}`)));
const cp = (size: number, time = `2025-01-01T00:00:${String(size).padStart(2, '0')}Z`): Checkpoint => ({
  origin: 'ketenpoort.test/audit',
  size,
  rootHash: tree.root(size).toString('base64'),
  time,
});

let signer: AuditKeyPair;
let witness: AuditKeyPair;
let other: AuditKeyPair;
beforeAll(async () => {
  [signer, witness, other] = await Promise.all([
    generateAuditKeyPair(),
    generateAuditKeyPair(),
    generateAuditKeyPair(),
  ]);
});
const jwks = (k: AuditKeyPair) => ({ keys: [k.publicJwk] });

describe(signCheckpoint.name, () => {
  it('writes an EdDSA compact JWS with the checkpoint type and the key id', async () => {
    const header = decodeProtectedHeader(await signCheckpoint(cp(10), signer.privateJwk));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'ketenpoort-checkpoint+jws', kid: signer.publicJwk.kid });
  });

  it('refuses a malformed checkpoint', async () => {
    await expect(signCheckpoint({ ...cp(10), rootHash: 'nope' }, signer.privateJwk)).rejects.toMatchObject({
      code: 'AUDIT.CHECKPOINT_MALFORMED',
    });
  });
});

describe(verifyCheckpoint.name, () => {
  const sut = verifyCheckpoint;

  it('returns the checkpoint and key id for a valid signature', async () => {
    expect(await sut(await signCheckpoint(cp(10), signer.privateJwk), jwks(signer))).toEqual({
      checkpoint: cp(10),
      kid: signer.publicJwk.kid,
    });
  });

  it('refuses a checkpoint signed by another key', async () => {
    await expect(sut(await signCheckpoint(cp(10), other.privateJwk), jwks(signer))).rejects.toMatchObject({
      code: 'AUDIT.SIGNATURE_INVALID',
    });
  });

  it('refuses a cosignature presented as a checkpoint', async () => {
    await expect(sut(await cosignCheckpoint(cp(10), signer.privateJwk), jwks(signer))).rejects.toMatchObject({
      code: 'AUDIT.SIGNATURE_INVALID',
    });
  });

  it('refuses an altered payload', async () => {
    const [h, , s] = (await signCheckpoint(cp(10), signer.privateJwk)).split('.');
    const forged = Buffer.from(JSON.stringify(cp(11))).toString('base64url');
    await expect(sut(`${h}.${forged}.${s}`, jwks(signer))).rejects.toMatchObject({
      code: 'AUDIT.SIGNATURE_INVALID',
    });
  });
});

describe(verifyCosignature.name, () => {
  const sut = verifyCosignature;

  it('accepts the witness cosignature of the same checkpoint', async () => {
    const cosig = await cosignCheckpoint(cp(10), witness.privateJwk);
    expect((await sut(cosig, cp(10), jwks(witness))).kid).toBe(witness.publicJwk.kid);
  });

  it('refuses a cosignature of another checkpoint', async () => {
    const cosig = await cosignCheckpoint(cp(9), witness.privateJwk);
    await expect(sut(cosig, cp(10), jwks(witness))).rejects.toMatchObject({
      code: 'AUDIT.COSIGNATURE_MISMATCH',
    });
  });

  it('refuses the operator signature presented as a cosignature', async () => {
    const jws = await signCheckpoint(cp(10), witness.privateJwk);
    await expect(sut(jws, cp(10), jwks(witness))).rejects.toMatchObject({ code: 'AUDIT.SIGNATURE_INVALID' });
  });
});

describe(checkConsistentCheckpoint.name, () => {
  const sut = checkConsistentCheckpoint;

  it('accepts an append-only extension with its consistency proof', () => {
    expect(() => sut(cp(10), cp(25), tree.consistencyProof(10, 25))).not.toThrow();
  });

  it('accepts the first checkpoint without a previous one', () => {
    expect(() => sut(undefined, cp(3), [])).not.toThrow();
  });

  it('refuses a checkpoint whose tree does not extend the previous one', () => {
    const forked = MerkleTree.fromLeafHashes(
      Array.from({ length: 25 }, (_, i) => leafHash(i === 4 ? 'forged' : `e${i}`)),
    );
    const next = { ...cp(25), rootHash: forked.root().toString('base64') };
    expect(() => sut(cp(10), next, forked.consistencyProof(10, 25))).toThrow(
      expect.objectContaining({ code: 'AUDIT.CHECKPOINT_INCONSISTENT' }),
    );
  });

  it('refuses a smaller size', () => {
    expect(() => sut(cp(25), cp(10), [])).toThrow(
      expect.objectContaining({ code: 'AUDIT.CHECKPOINT_INCONSISTENT' }),
    );
  });

  it('refuses an earlier time', () => {
    expect(() => sut(cp(10), cp(25, '2024-12-31T00:00:00Z'), tree.consistencyProof(10, 25))).toThrow(
      expect.objectContaining({ code: 'AUDIT.CHECKPOINT_INCONSISTENT' }),
    );
  });

  it('refuses another origin', () => {
    expect(() => sut(cp(10), { ...cp(25), origin: 'elsewhere' }, tree.consistencyProof(10, 25))).toThrow(
      expect.objectContaining({ code: 'AUDIT.CHECKPOINT_INCONSISTENT' }),
    );
  });
});
