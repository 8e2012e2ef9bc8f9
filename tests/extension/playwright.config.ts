import { defineConfig } from '@playwright/test';

/**
 * The browser extension in Debian's Chromium (/usr/bin/chromium, `--headless=new`, which
 * loads extensions; never `playwright install`): each test gets its own `ferry serve` child,
 * Chromium profile with Ferry's native host registered in it, and site on 127.0.0.1. The
 * extension is built first (global setup runs `npm run build:extension`'s script).
 */
export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results/extension',
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
});
