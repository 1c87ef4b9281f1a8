export * from './policy.error.js';
export * from './policy.model.js';
export * from './token-issuer.js';
export * from './age-at-report.js';
export * from './policy.parser.js';
export * from './policy.evaluator.js';
