export * from './embedded-postgres.js';
export * from './create-data-source.js';
export * from './database-unavailable.js';
export * from './register/index.js';
export * from './gateway/index.js';
