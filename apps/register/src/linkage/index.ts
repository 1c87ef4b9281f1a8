export * from './linkage-subject.js';
export * from './link-rule.js';
export * from './linkage.store.js';
export * from './person-linker.js';
