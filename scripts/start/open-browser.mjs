// Opens a URL in the user's default browser, where there is one to open: a desktop session on
// Linux (DISPLAY or WAYLAND_DISPLAY, and xdg-open), macOS's `open`, Windows' shell. Elsewhere
// (a server, SSH, CI) it opens nothing and says why, so the caller can print the address.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';

function onPath(command, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/**
 * The command that opens `url` on this platform, or a reason why none applies.
 * @returns {{ command: string, args: string[] } | { reason: string }}
 */
export function browserCommand(url, platform = process.platform, env = process.env) {
  if (env.FERRY_NO_BROWSER === '1') return { reason: 'FERRY_NO_BROWSER=1' };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') {
    // explorer hands an http(s) URL to the default browser; unlike `start`, no shell parses
    // the URL (the token after # and any & stay intact).
    return { command: 'explorer.exe', args: [url] };
  }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'no desktop session' };
  if (!onPath('xdg-open', env)) return { reason: 'xdg-open is not installed' };
  return { command: 'xdg-open', args: [url] };
}

/** Starts the browser, detached; resolves to null once started or to why it was not. */
export function openBrowser(url) {
  const chosen = browserCommand(url);
  if ('reason' in chosen) return Promise.resolve(chosen.reason);
  return new Promise((resolve) => {
    const child = spawn(chosen.command, chosen.args, { stdio: 'ignore', detached: true });
    child.once('error', (error) => resolve(`${chosen.command} failed: ${error.message}`));
    child.once('spawn', () => {
      child.unref();
      resolve(null);
    });
  });
}
