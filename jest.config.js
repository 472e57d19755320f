/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', {}] },
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
  // Installs Debian's chromium with apt-get when it is missing (the report's browser test); never downloads a browser.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
};
