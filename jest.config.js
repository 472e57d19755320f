/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', {}] },
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
};
