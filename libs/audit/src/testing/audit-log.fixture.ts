import type { AuditEntry } from '../audit-entry.js';
import type { AuditKeys, ExportedCheckpoint, ExportedEntry } from '../audit-export.format.js';
import { auditLeafHash, redactionEntry } from '../audit-leaf.js';
import {
  cosignCheckpoint,
  generateAuditKeyPair,
  signCheckpoint,
  type AuditKeyPair,
  type Checkpoint,
} from '../checkpoint.js';
import { MerkleTree } from '../merkle-tree.js';
import { commitSubjects, type SubjectOpening } from '../subject-commitment.js';

/** A generated audit log with signed, cosigned checkpoints — test data for proofs and the verifier. */
export interface AuditLogFixture {
  entries: ExportedEntry[];
  checkpoints: ExportedCheckpoint[];
  checkpointList: Checkpoint[];
  keys: AuditKeys;
  signer: AuditKeyPair;
  witness: AuditKeyPair;
  tree: MerkleTree;
  origin: string;
}

export interface AuditLogFixtureOptions {
  size: number;
  checkpointEvery: number;
  /** Leaf indexes whose first opening is erased, each with a redaction entry appended after it. */
  redact?: number[];
}

const T0 = Date.parse('2025-01-01T00:00:00Z');

/** A decision entry the way the gateway writes one (no values, one subject commitment or two). */
export function aDecisionEntry(i: number, commitments: string[]): AuditEntry {
  return {
    event: 'signal.forwarded',
    at: new Date(T0 + i * 1000).toISOString(),
    correlationId: `c-${i}`,
    partnerId: i % 2 ? 'politie-oost-brabant' : 'comensha-zorgcoordinatie',
    certificateFingerprint: 'ab'.repeat(32),
    signalId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    purpose: 'registration',
    legalGround: 'wpg-art-18',
    policyVersion: '2025.1',
    keyVersion: 1,
    fields: [
      { field: 'subject.givenNames', action: 'pseudonymised' },
      { field: 'subject.birthDate', action: 'generalised' },
      { field: 'situation.narrative', action: 'dropped' },
    ],
    subjectCommitments: commitments,
  };
}

/**
 * Builds a log of `size` entries (redaction entries included) with a checkpoint every `checkpointEvery`
 * entries and one at the end, each signed by the operator key and cosigned by one witness.
 *
 * @example const log = await buildAuditLog({ size: 100, checkpointEvery: 10 });
 */
export async function buildAuditLog(options: AuditLogFixtureOptions): Promise<AuditLogFixture> {
  const signer = await generateAuditKeyPair();
  const witness = await generateAuditKeyPair();
  const origin = 'ketenpoort.test/audit';
  const tree = new MerkleTree();
  const entries: ExportedEntry[] = [];
  const checkpoints: ExportedCheckpoint[] = [];
  const checkpointList: Checkpoint[] = [];
  const toRedact = new Set(options.redact ?? []);
  const redactions: { leafIndex: number; commitment: string }[] = [];
  const add = (entry: AuditEntry, openings?: (SubjectOpening | null)[]) => {
    const leaf = auditLeafHash(entry);
    const index = entries.length;
    entries.push({ index, entry, leafHash: leaf.toString('base64'), ...(openings ? { openings } : {}) });
    tree.append(leaf);
  };
  const checkpoint = async () => {
    const cp: Checkpoint = {
      origin,
      size: tree.size,
      rootHash: tree.root().toString('base64'),
      time: new Date(T0 + tree.size * 1000 + 500).toISOString(),
    };
    checkpointList.push(cp);
    checkpoints.push({
      checkpoint: await signCheckpoint(cp, signer.privateJwk),
      cosignatures: [await cosignCheckpoint(cp, witness.privateJwk)],
    });
  };
  while (entries.length < options.size) {
    const i = entries.length;
    const next = redactions.shift();
    if (next) {
      add(
        redactionEntry(
          {
            leafIndex: next.leafIndex,
            commitments: [next.commitment],
            requestReference: `AVG-${i}`,
            actors: ['fg-1'],
          },
          { at: new Date(T0 + i * 1000).toISOString(), correlationId: `r-${i}` },
        ),
      );
    } else {
      const { commitments, openings } = commitSubjects(
        i % 3 === 0 ? [`v1.audit.subj.T${i}`, `v1.audit.case.C${i}`] : [`v1.audit.subj.T${i}`],
      );
      const stored: (SubjectOpening | null)[] = openings;
      if (toRedact.has(i)) {
        stored[0] = null;
        redactions.push({ leafIndex: i, commitment: commitments[0] });
      }
      add(aDecisionEntry(i, commitments), stored);
    }
    if (entries.length % options.checkpointEvery === 0) await checkpoint();
  }
  if (checkpointList.at(-1)?.size !== tree.size) await checkpoint();
  return {
    entries,
    checkpoints,
    checkpointList,
    keys: { signers: { keys: [signer.publicJwk] }, witnesses: { keys: [witness.publicJwk] } },
    signer,
    witness,
    tree,
    origin,
  };
}
