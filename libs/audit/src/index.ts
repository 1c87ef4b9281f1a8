export * from './audit-entry.js';
export * from './hash-chain.js';
export * from './audit.error.js';
export * from './audit-redaction.js';
export * from './audit-leaf.js';
export * from './merkle-hash.js';
export * from './merkle-frontier.js';
export * from './merkle-proof.js';
export * from './merkle-tree.js';
export * from './subject-commitment.js';
export * from './checkpoint.js';
export * from './audit-export.format.js';
export * from './audit-export.js';
export {
  verifyEntryChunk,
  type ChunkNode,
  type ChunkResult,
  type EntryProblem,
} from './audit-verify.chunk.js';
export * from './audit-verify.js';
