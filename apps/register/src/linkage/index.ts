export * from './linkage-subject.js';
export * from './link-rule.js';
export * from './linkage.store.js';
export * from './person-partition.js';
export * from './person-linker.js';
export * from './in-memory-linkage.store.js';
export * from './batch-linkage.store.js';
