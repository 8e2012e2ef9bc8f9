import { defineConfig } from '@playwright/test';

/**
 * The desktop smoke test (Playwright's `_electron`). Run through `npm run test:electron`
 * (scripts/run-electron-smoke.mjs), which builds the app and runs this only where an Electron
 * binary is installed; elsewhere it prints one line saying it was skipped.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/electron',
  timeout: 60_000,
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
});
