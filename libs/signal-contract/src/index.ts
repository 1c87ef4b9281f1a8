export * from './signal.enums.js';
export * from './signal-fields.js';
export * from './signal.v1.dto.js';
export * from './partial-date.validator.js';
export * from './validate-signal.js';
export * from './register-record.js';
export * from './record-lifecycle.js';
export * from './signal.v1.docs.js';
