// `npm start`: builds what is missing or stale, then opens the desktop app.
//
// Where no Electron binary is installed it tries to download it once (what the electron
// package does on first use, about 100 MB). Where that cannot work (offline, CI, or
// ELECTRON_SKIP_BINARY_DOWNLOAD set) it says so in one line and runs `ferry serve` instead,
// opening the window in the default browser where there is one (the address is printed
// either way). Ctrl+C, SIGTERM and SIGHUP stop either, and so does the end of its parent
// (`npm start` killed with SIGTERM).
//
// Usage: node scripts/start.mjs [--desktop | --serve]
//   --desktop   the desktop app or a failure (no fallback): `npm run start:desktop`
//   --serve     the headless server and the browser, without looking for Electron
import { spawn } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import console from 'node:console';
import { createInterface } from 'node:readline';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
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

/**
 * The child runs in a process group of its own (POSIX): every signal reaches it through this
 * script, exactly once. Otherwise Ctrl+C in a terminal would reach it twice (from the terminal
 * and forwarded), and a second SIGINT makes `ferry serve` skip its graceful shutdown. Windows
 * has no process groups to speak of (and a detached child gets a console of its own there).
 */
const ownGroup = process.platform !== 'win32';
/** How often to look whether the parent (npm's shell) is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Runs `child` until it exits, then exits with its status (128 + the signal's number when a
 * signal ended it). SIGINT, SIGTERM and SIGHUP stop it gracefully: SIGHUP (the terminal went
 * away) becomes SIGTERM, which Ferry handles, where SIGHUP's default would kill it outright.
 * When the parent goes (`npm start` sent SIGTERM: npm signals its shell, which dies without
 * passing it on), this process is orphaned: the child is stopped as for SIGTERM instead of
 * being left holding its port and the data directory's lock.
 */
function follow(child) {
  let signalled = false;
  const stop = (signal) => {
    signalled = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  // On Windows Ctrl+C reaches every process of the console: only wait for the child.
  process.on('SIGINT', () => {
    if (ownGroup) stop('SIGINT');
    else signalled = true;
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGTERM'));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    // Ctrl+C also ends npm's shell: a second signal would cut the graceful shutdown short.
    if (!signalled) stop('SIGTERM');
  }, PARENT_CHECK_MS);
  watch.unref();
  child.once('close', (code, signal) => {
    clearInterval(watch);
    process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
  });
}

function launchDesktop(binary) {
  // Chromium refuses to run as root without its sandbox turned off.
  const args = process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  // No stdin: a process group other than the terminal's would be stopped reading it.
  follow(
    spawn(binary, [...args, root], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: ownGroup,
    }),
  );
}

function serve() {
  const child = spawn(process.execPath, [join(root, 'bin', 'ferry.js'), 'serve'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: ownGroup,
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
