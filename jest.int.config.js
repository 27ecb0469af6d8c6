// Integration tier: *.int.spec.ts against the real PostgreSQL and the real Kafka broker.
// tools/test.mjs provides both (or reuses what is configured) before jest starts; the
// setup file refuses to run when either is unreachable, with a message that says which.
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'integration',
  testMatch: ['**/*.int.spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/packages/testing/src/int-setup.ts'],
  // a hung dependency must fail the run, never hang it
  testTimeout: 60_000,
  // a test that leaves a client open must not keep the run alive after the last file
  forceExit: true,
  maxWorkers: 3,
};
