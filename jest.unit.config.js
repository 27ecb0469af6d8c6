// Unit tier: *.spec.ts, no I/O, milliseconds. Integration files (*.int.spec.ts) are excluded.
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'unit',
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.int\\.spec\\.ts$'],
  testTimeout: 5_000,
};
