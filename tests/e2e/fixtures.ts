import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { RPC_PATH } from '../../app/wire.js';
import { createWebSocketClient } from '../../app/ws-client.js';
import type { WebSocketClient } from '../../app/ws-client.js';
import { openNodeSocket } from '../../main/cli/node-socket.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';

export { expect };

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A `ferry serve` child on its own data directory and port. */
export interface Ferry {
  /** The page URL with its `#token=`. */
  readonly url: string;
  readonly dataDir: string;
  /** An empty folder the test downloads into. */
  readonly downloads: string;
}

/**
 * Starts `ferry serve` (port 0) on a fresh temporary data directory and waits for
 * its "serving at" line; SIGTERM and cleanup afterwards.
 */
async function startFerry(root: string): Promise<{ ferry: Ferry; stop: () => Promise<void> }> {
  const dataDir = join(root, 'data');
  const downloads = join(root, 'downloads');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(downloads, { recursive: true });
  // `ferry serve` as a user runs it (the bin), serving the window built into dist/renderer.
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'ferry.js'), '--data-dir', dataDir, '--port', '0', 'serve'],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`ferry serve printed no URL within 20 s: ${stderr}`));
    }, 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`ferry serve exited early: ${stderr}`));
    });
  });
  return {
    ferry: { url, dataDir, downloads },
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Test fixtures: a loopback file server and a Ferry server, fresh for every test, and a
 * contract client of that server for setting up many jobs quickly; the page fails the test on
 * any uncaught error or CSP violation it reports.
 */
export const test = base.extend<{ files: TestServer; ferry: Ferry; rpc: WebSocketClient }>({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await use(page);
    expect(errors, 'errors reported by the page').toEqual([]);
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern.
  files: async ({}, use) => {
    const server = await startTestServer();
    await use(server);
    await server.close();
  },
  rpc: async ({ ferry }, use) => {
    const url = new URL(ferry.url);
    const client = createWebSocketClient({
      url: `ws://${url.host}${RPC_PATH}`,
      token: new URLSearchParams(url.hash.slice(1)).get('token') ?? '',
      open: openNodeSocket,
      reconnect: false,
    });
    await use(client);
    client.close();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  ferry: async ({}, use) => {
    const root = await mkdtemp(join(tmpdir(), 'ferry-e2e-'));
    const { ferry, stop } = await startFerry(root);
    try {
      await use(ferry);
    } finally {
      await stop();
      await rm(root, { recursive: true, force: true });
    }
  },
});

/** The row of the job with this display name. */
export function row(page: Page, name: string): Locator {
  return page.getByRole('option').filter({ has: page.locator('.job-name', { hasText: name }) });
}

/** Opens the add dialog, enters the lines and folder, and submits. */
export async function addThroughDialog(
  page: Page,
  lines: readonly string[],
  folder: string,
  options: { suspended?: boolean; connections?: number } = {},
): Promise<void> {
  await page.locator('.top [data-action="add"]').click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await dialog.getByLabel('URLs, one per line').fill(lines.join('\n'));
  await dialog.getByLabel('Save to folder').fill(folder);
  if (options.suspended === true) await dialog.getByLabel('Add paused').check();
  if (options.connections !== undefined) {
    await dialog.getByLabel('Connections per file').selectOption(String(options.connections));
  }
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
}

/** SHA-256 of a file on disk, hex. */
export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** The names in a folder, sorted. */
export async function listDir(path: string): Promise<string[]> {
  return (await readdir(path)).sort();
}
