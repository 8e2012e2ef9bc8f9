// Runs the desktop smoke test (tests/electron, Playwright's `_electron`) where an Electron
// binary is installed, and says so in one line where none is, instead of failing.
//
// The binary is looked for WITHOUT require('electron'): since Electron 42 that call downloads
// the binary on first use, which must never happen here. Looked for, in order:
//   FERRY_ELECTRON_PATH            an Electron executable
//   ELECTRON_OVERRIDE_DIST_PATH    a folder holding one (as the electron package reads it)
//   node_modules/electron/dist/    where the electron package installs it (path.txt names it)
//
// Usage: node scripts/run-electron-smoke.mjs   (npm run test:electron)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import console from 'node:console';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @returns {string | null} the Electron executable, or null when none is installed */
function findElectronBinary(env = process.env, dir = root) {
  const explicit = env.FERRY_ELECTRON_PATH;
  if (explicit !== undefined && explicit !== '') return existsSync(explicit) ? explicit : null;
  const pkg = join(dir, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const candidates = [];
  if (env.ELECTRON_OVERRIDE_DIST_PATH)
    candidates.push(join(env.ELECTRON_OVERRIDE_DIST_PATH, relative));
  if (existsSync(pathFile)) candidates.push(join(pkg, 'dist', relative));
  return candidates.find((path) => existsSync(path)) ?? null;
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const binary = findElectronBinary();
if (binary === null) {
  console.log(
    'electron smoke test: skipped, no Electron binary installed ' +
      '(set FERRY_ELECTRON_PATH to an Electron executable to run it)',
  );
} else {
  console.log(`electron smoke test: running with ${binary}`);
  run(process.execPath, ['main/electron/build.mjs']);
  run('npm', ['run', '--silent', 'build:renderer']);
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
