import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The default data directory of the current user, per platform convention.
 *
 * `FERRY_DATA_DIR` overrides it; Linux honours XDG_DATA_HOME; Windows uses %APPDATA%; macOS
 * Application Support.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.FERRY_DATA_DIR;
  if (override !== undefined && override !== '') return override;
  if (process.platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Ferry');
  }
  if (process.platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', 'Ferry');
  }
  const xdg = env.XDG_DATA_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'share'), 'ferry');
}
