// Where the Electron binary is, found WITHOUT require('electron'): since Electron 42 that call
// downloads the binary on first use. Looked for, in order:
//   FERRY_ELECTRON_PATH            an Electron executable
//   ELECTRON_OVERRIDE_DIST_PATH    a folder holding one (as the electron package reads it)
//   node_modules/electron/dist/    where the electron package installs it (path.txt names it)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

/** @returns {string | null} the Electron executable, or null when none is installed */
export function findElectronBinary(root, env = process.env) {
  const explicit = env.FERRY_ELECTRON_PATH;
  if (explicit !== undefined && explicit !== '') return existsSync(explicit) ? explicit : null;
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const candidates = [];
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    candidates.push(join(env.ELECTRON_OVERRIDE_DIST_PATH, relative));
  }
  if (existsSync(pathFile)) candidates.push(join(pkg, 'dist', relative));
  return candidates.find((path) => existsSync(path)) ?? null;
}
