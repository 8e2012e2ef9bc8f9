// `npm start`: builds what is missing or stale, then opens the desktop app.
//
// Where no Electron binary is installed it tries to download it once (what the electron
// package does on first use, about 100 MB). Where that cannot work (offline, CI, or
// ELECTRON_SKIP_BINARY_DOWNLOAD set) it says so in one line and runs `ferry serve` instead,
// opening the window in the default browser where there is one (the address is printed
// either way). Ctrl+C stops either.
//
// Usage: node scripts/start.mjs [--desktop | --serve]
//   --desktop   the desktop app or a failure (no fallback): `npm run start:desktop`
//   --serve     the headless server and the browser, without looking for Electron
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import console from 'node:console';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { findElectronBinary } from './electron-binary.mjs';
import { openBrowser } from './start/open-browser.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const mode = process.argv[2] ?? 'auto';
if (!['auto', '--desktop', '--serve'].includes(mode)) {
  console.error(`npm start: unknown option ${mode} (--desktop, --serve)`);
  process.exit(2);
}

/** Runs the electron package's own installer; resolves to null or why it failed. */
function downloadElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD)
    return Promise.resolve('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
  if (process.env.CI) return Promise.resolve('not downloaded on CI');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // Said only when it takes a while: offline, the attempt fails at once and stays quiet.
    const slow = setTimeout(
      () => console.log('npm start: downloading the Electron binary (first launch only)…'),
      1500,
    );
    child.once('error', (error) => {
      clearTimeout(slow);
      resolve(error.message);
    });
    child.once('close', (code) => {
      clearTimeout(slow);
      if (code === 0) return resolve(null);
      const reason =
        /(getaddrinfo \w+ [\w.-]+|fetch failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|checksum)/.exec(
          output,
        );
      resolve(reason ? reason[1] : `the installer exited with ${code}`);
    });
  });
}

/** Runs `child`, forwarding SIGTERM/SIGHUP to it, and exits with its status. */
function follow(child) {
  // Ctrl+C reaches the child through the terminal; only wait for it to finish.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.once('close', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

function launchDesktop(binary) {
  // Chromium refuses to run as root without its sandbox turned off.
  const args = process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  follow(spawn(binary, [...args, root], { cwd: root, stdio: 'inherit' }));
}

function serve() {
  const child = spawn(process.execPath, [join(root, 'bin', 'ferry.js'), 'serve'], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    console.log(line);
    const match = /^Ferry is serving at (http:\/\/\S+)$/.exec(line);
    if (match) {
      void openBrowser(match[1]).then((why) => {
        if (why !== null)
          console.log(`npm start: open that address in a browser (not opened: ${why})`);
      });
    }
  });
  follow(child);
}

try {
  await build([], { ifStale: true });
} catch (error) {
  console.error(
    `npm start: the build failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}

if (mode === '--serve') {
  serve();
} else {
  let binary = findElectronBinary(root);
  let why = null;
  if (binary === null) {
    why = await downloadElectron();
    binary = why === null ? findElectronBinary(root) : null;
    why ??= binary === null ? 'the download left no binary' : null;
  }
  if (binary !== null) {
    launchDesktop(binary);
  } else if (mode === '--desktop') {
    console.error(
      `npm start: cannot open the desktop app: no Electron binary (${why}); see README, "The Electron binary"`,
    );
    process.exit(1);
  } else {
    console.log(
      `npm start: no Electron binary (${why}), so no desktop app: serving the window with \`ferry serve\` instead`,
    );
    serve();
  }
}
