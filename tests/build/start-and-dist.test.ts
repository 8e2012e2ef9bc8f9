// `npm start` where no Electron binary exists (as here and on CI): one line saying so, then
// `ferry serve`; and the pieces of `npm start` and `npm run dist` that decide things.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { unfilledMetadata } from '../../scripts/dist.mjs';
import { browserCommand } from '../../scripts/start/open-browser.mjs';
import { acquireEngineLock } from '../../main/engine/engine-lock.js';
import { readEngineHolder } from '../../main/engine/engine-holder.js';
import { processPhase } from '../../main/engine/process-phase.js';
import { REPO_ROOT } from '../support/child-process.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-start-'));
  dirs.push(dir);
  return dir;
}

/** A running `npm start` (or start.mjs) that has printed its address. */
interface Started {
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly lines: readonly string[];
  readonly serving: string;
  /** The `ferry serve` it fell back to (the data directory's lock holder). */
  readonly servePid: number;
  readonly exited: Promise<number | null>;
}

async function startWithoutElectron(command: string, args: readonly string[]): Promise<Started> {
  const dataDir = tempDir();
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // ELECTRON_SKIP_BINARY_DOWNLOAD: no download attempt; FERRY_ELECTRON_PATH: no binary.
    env: {
      ...process.env,
      FERRY_DATA_DIR: dataDir,
      FERRY_ELECTRON_PATH: join(tempDir(), 'no-electron-here'),
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'exit', not 'close': an orphan left behind would hold the output pipes open.
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines: string[] = [];
  const serving = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const match = /^Ferry is serving at (http:\/\/127\.0\.0\.1:\d+\/)#token=[0-9a-f]{64}$/.exec(
        line,
      );
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then((code) => {
      reject(new Error(`${command} exited (${String(code)}): ${stderr}`));
    });
  });
  const holder = readEngineHolder(dataDir);
  assert.ok(holder !== null, 'ferry serve holds the data directory');
  servesToStop.add(holder.pid);
  return { child, dataDir, lines, serving, servePid: holder.pid, exited };
}

/** Serve processes a test started: one left running by a failure is stopped at the end. */
const servesToStop = new Set<number>();
after(() => {
  for (const pid of servesToStop) {
    if (processPhase(pid) === 'running') process.kill(pid, 'SIGKILL');
  }
});

/** The serve process has gone and the data directory can be locked again (10 s at most). */
async function assertServeGone(started: Started): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (processPhase(started.servePid) !== 'gone') {
    assert.ok(
      Date.now() < deadline,
      `ferry serve (pid ${String(started.servePid)}) still runs 10 s after the stop`,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  servesToStop.delete(started.servePid);
  const lock = acquireEngineLock(started.dataDir, { exitWaitMs: 0 });
  lock.release();
}

describe('npm start without an Electron binary', () => {
  it('says so in one line, serves the window with ferry serve, and stops it on SIGTERM', async () => {
    const started = await startWithoutElectron(process.execPath, ['scripts/start.mjs']);
    const page = await fetch(started.serving);
    assert.equal(page.status, 200);
    const noElectron = started.lines.filter((line) =>
      line.startsWith('npm start: no Electron binary'),
    );
    assert.equal(noElectron.length, 1, started.lines.join('\n'));
    assert.match(noElectron[0] ?? '', /ELECTRON_SKIP_BINARY_DOWNLOAD.*ferry serve/);
    started.child.kill('SIGTERM');
    assert.equal(await started.exited, 0, "the exit status is ferry serve's");
    await assertServeGone(started);
  });

  it('stops ferry serve when npm itself gets SIGTERM (its shell dies without passing it on)', async () => {
    const started = await startWithoutElectron('npm', ['start', '--silent']);
    started.child.kill('SIGTERM');
    await started.exited;
    await assertServeGone(started);
  });
});

describe('browserCommand', () => {
  it('opens nothing without a desktop session, and says why', () => {
    assert.deepEqual(browserCommand('http://x/', 'linux', { PATH: '/usr/bin' }), {
      reason: 'no desktop session',
    });
    assert.deepEqual(browserCommand('http://x/', 'darwin', { FERRY_NO_BROWSER: '1' }), {
      reason: 'FERRY_NO_BROWSER=1',
    });
  });

  it('uses xdg-open on a Linux desktop only where it is installed', () => {
    const bin = tempDir();
    assert.deepEqual(browserCommand('http://x/', 'linux', { DISPLAY: ':0', PATH: bin }), {
      reason: 'xdg-open is not installed',
    });
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\n');
    chmodSync(join(bin, 'xdg-open'), 0o755);
    assert.deepEqual(browserCommand('http://x/#t', 'linux', { WAYLAND_DISPLAY: 'w', PATH: bin }), {
      command: 'xdg-open',
      args: ['http://x/#t'],
    });
  });

  it('hands the URL to open on macOS and to explorer on Windows, unparsed by a shell', () => {
    const url = 'http://127.0.0.1:1/#token=a&b';
    assert.deepEqual(browserCommand(url, 'darwin', {}), { command: 'open', args: [url] });
    assert.deepEqual(browserCommand(url, 'win32', {}), { command: 'explorer.exe', args: [url] });
  });
});

describe('unfilledMetadata', () => {
  it('names the shipped fields still marked or missing', () => {
    assert.deepEqual(
      unfilledMetadata({
        author: { name: 'A', email: 'TO-FILL-ON-PUBLICATION@ferry.invalid' },
        homepage: 'https://ferry.app',
      }),
      ['author', 'repository'],
    );
    assert.deepEqual(
      unfilledMetadata({
        author: 'A <a@b.c>',
        homepage: 'https://ferry.app',
        repository: { type: 'git', url: 'https://git.example/ferry.git' },
      }),
      [],
    );
  });
});
