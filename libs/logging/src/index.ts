export * from './redaction.js';
export * from './pino-logger.js';
export * from './access-log.js';
export * from './correlation-id.js';
