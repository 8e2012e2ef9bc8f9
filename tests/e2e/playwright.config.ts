import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the real UI in Debian's Chromium (/usr/bin/chromium; never
 * `playwright install`), each test against its own `ferry serve` child with a temporary data
 * directory and port (see tests/e2e/fixtures.ts). `npm run test:e2e` builds the renderer
 * first. Screenshots land in test-results/ (not committed).
 */
export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results/e2e',
  timeout: 45_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
