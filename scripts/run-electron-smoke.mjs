// Runs the desktop smoke test (tests/electron, Playwright's `_electron`) where an Electron
// binary is installed, and says so in one line where none is, instead of failing.
//
// The binary is found by scripts/electron-binary.mjs (never through require('electron'), which
// downloads it).
//
// Usage: node scripts/run-electron-smoke.mjs   (npm run test:electron)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import console from 'node:console';
import { URL, fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const binary = findElectronBinary(root);
if (binary === null) {
  console.log(
    'electron smoke test: skipped, no Electron binary installed ' +
      '(set FERRY_ELECTRON_PATH to an Electron executable to run it)',
  );
} else {
  console.log(`electron smoke test: running with ${binary}`);
  run(process.execPath, ['scripts/build.mjs', 'electron', 'renderer', 'icons', '--if-stale']);
  run(
    process.execPath,
    [
      join(root, 'node_modules', '@playwright', 'test', 'cli.js'),
      'test',
      '-c',
      'tests/electron/playwright.config.ts',
    ],
    { ...process.env, FERRY_ELECTRON_PATH: binary },
  );
}
