export * from './audit-entry.js';
export * from './hash-chain.js';
