/**
 * The slow fault suite (`npm run test:faults`): real `ketenpoort serve` processes killed and restarted,
 * register outages, PostgreSQL restarts. One file at a time; the build runs once first. See
 * docs/adr/0017-delivery-guarantees.md.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  globalSetup: '<rootDir>/test/faults/build-once.global-setup.js',
  testTimeout: 600_000,
  maxWorkers: 1,
};
