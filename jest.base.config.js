// Shared jest settings for the two test tiers (see jest.unit.config.js and jest.int.config.js).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // workspace packages resolve to their TypeScript sources (package.json "source" condition)
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.base.json', diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: [
    '<rootDir>/packages',
    '<rootDir>/services',
    '<rootDir>/gateway',
    '<rootDir>/tools',
    '<rootDir>/web',
  ],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.cache/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
