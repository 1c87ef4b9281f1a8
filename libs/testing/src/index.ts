export * from './test-database.js';
export * from './signal.builder.js';
export * from './test-pki.js';
export * from './https-request.js';
export * from './canary-scan.js';
export * from './quiet-loggers.js';
