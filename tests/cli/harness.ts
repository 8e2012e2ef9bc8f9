// Runs the real `ferry` bin (node bin/ferry.js) as a child process, and a real server for it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuiltCli } from '../support/built-cli.js';
import { REPO_ROOT } from '../support/child-process.js';

/** The bin under test; it runs the built CLI, built here if stale. */
export const FERRY_BIN = join(REPO_ROOT, 'bin', 'ferry.js');
ensureBuiltCli();

/** How one `ferry` run ended. */
export interface FerryRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one run. */
export interface RunOptions {
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Called once the child is spawned (to signal it mid-run). */
  readonly onSpawn?: (pid: number) => void;
  /** Variables added to (or, when undefined, removed from) the child's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Resolves when stderr contains this text; used with onStderr. */
  readonly onStderr?: (text: string, pid: number) => void;
}

/** Runs `node bin/ferry.js ...args` and collects its output. Stdin is closed. */
export function runFerry(args: readonly string[], options: RunOptions = {}): Promise<FerryRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FERRY_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (child.pid !== undefined) options.onStderr?.(stderr, child.pid);
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ferry ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A `ferry serve` started for a test, on a temporary data directory and a free port. */
export interface ServedDataDir {
  readonly dataDir: string;
  readonly pid: number;
  readonly port: number;
  /** Runs ferry against this data directory (never starting another server). */
  ferry(args: readonly string[], options?: RunOptions): Promise<FerryRun>;
  /** Stops the server (SIGTERM, then SIGKILL) and deletes the data directory. */
  close(): Promise<void>;
}

/** What `server.json` holds. */
export interface ServerJson {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
}

/** Reads `<dataDir>/server.json`, or null. */
export function readServerJson(dataDir: string): ServerJson | null {
  const path = join(dataDir, 'server.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ServerJson;
  } catch {
    return null;
  }
}

/** Waits until `server.json` names a live server, for at most `timeoutMs`. */
export async function waitForServerJson(dataDir: string, timeoutMs = 20_000): Promise<ServerJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = readServerJson(dataDir);
    if (record !== null) return record;
    if (Date.now() > deadline)
      throw new Error(`No server.json in ${dataDir} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills a process by pid and waits (bounded) until it is gone. */
export async function killAndWait(pid: number, timeoutMs = 10_000): Promise<void> {
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive()) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ferry-cli-${prefix}-`));
}

/** Starts `ferry serve --port 0` in the foreground (as a child of the test) on a new data dir. */
export async function serveDataDir(): Promise<ServedDataDir> {
  const dataDir = await tempDir('data');
  const child = spawn(
    process.execPath,
    [FERRY_BIN, '--data-dir', dataDir, '--port', '0', 'serve', '--no-static'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      resolve();
    });
  });
  let record: ServerJson;
  try {
    record = await waitForServerJson(dataDir);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`ferry serve did not start: ${stderr}`, { cause: error });
  }
  return {
    dataDir,
    pid: record.pid,
    port: record.port,
    ferry: (args, options) => runFerry(['--data-dir', dataDir, '--no-start', ...args], options),
    async close() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
