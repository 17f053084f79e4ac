/**
 * `npm run test:browser`: the console in headless Chromium (Debian's `chromium`, driven by
 * puppeteer-core; no browser download). Same transform and database setup as `jest.config.js`.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.ts'],
  testTimeout: 60000,
  maxWorkers: 1,
};
