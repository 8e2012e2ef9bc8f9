// `npm start` where no Electron binary exists (as here and on CI): one line saying so, then
// `ferry serve`; and the pieces of `npm start` and `npm run dist` that decide things.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { unfilledMetadata } from '../../scripts/dist.mjs';
import { browserCommand } from '../../scripts/start/open-browser.mjs';
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

describe('npm start without an Electron binary', () => {
  it('says so in one line, serves the window with ferry serve, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // ELECTRON_SKIP_BINARY_DOWNLOAD: no download attempt; FERRY_ELECTRON_PATH: no binary.
      env: {
        ...process.env,
        FERRY_DATA_DIR: tempDir(),
        FERRY_ELECTRON_PATH: join(tempDir(), 'no-electron-here'),
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        DISPLAY: '',
        WAYLAND_DISPLAY: '',
      },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
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
        reject(new Error(`npm start exited (${String(code)}): ${stderr}`));
      });
    });
    const page = await fetch(serving);
    assert.equal(page.status, 200);
    const noElectron = lines.filter((line) => line.startsWith('npm start: no Electron binary'));
    assert.equal(noElectron.length, 1, lines.join('\n'));
    assert.match(noElectron[0] ?? '', /ELECTRON_SKIP_BINARY_DOWNLOAD.*ferry serve/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
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
