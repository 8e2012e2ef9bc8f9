import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { startRpcServer } from '../server/index.js';
import { runDesktop } from './desktop-main.js';
import { createElectronPlatform } from './electron-platform.js';
import { tracedPlatform } from './shell-trace.js';

/**
 * The desktop app's entry point (package.json "main" → dist/electron/main.js): the Electron
 * platform and the lifecycle, nothing else. SIGINT/SIGTERM quit cleanly (jobs back to QUEUED).
 */
const electron = createElectronPlatform();
const platform = process.env.FERRY_SHELL_TRACE === '1' ? tracedPlatform(electron) : electron;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    platform.app.quit();
  });
}
void runDesktop(platform, {
  mainDir: dirname(fileURLToPath(import.meta.url)),
  env: process.env,
  startRpcServer,
});
