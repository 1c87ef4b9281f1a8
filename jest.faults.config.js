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
  // A failed test must fail CI, not hang it: whatever a broken test left running (a child process, a
  // socket) does not keep jest alive after the last file.
  forceExit: true,
};
