// Starting servers nobody here wrote (nginx, Squid, python's http.server) for a test: on
// 127.0.0.1, on a free port, with every file they write in a temporary folder, as the current
// user; stopped (and the folder removed) by the test.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where Debian puts daemons (sbin is not on every user's PATH). */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** The absolute path of a program on PATH (or in an sbin folder), or null when absent. */
export function findProgram(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/** The first existing file of `paths`, or null. */
export function firstExisting(paths: readonly string[]): string | null {
  for (const path of paths) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The reason a suite is skipped when its program is not installed (one clear line), or false.
 * `.ci/run` installs every one of them, so only a developer's machine can skip.
 */
export function skipUnless(program: string, pkg: string): string | false {
  return findProgram(program) === null
    ? `${program} is not installed: apt-get install ${pkg} (.ci/run installs it)`
    : false;
}

/** A free TCP port of 127.0.0.1 for a daemon that takes its port from a config file. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

/** A temporary folder for one daemon's config, logs and files. */
export function daemonDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `ferry-interop-${name}-`));
}

/** Fills a config template of tests/interop/conf: each `@NAME@` becomes `values.NAME`. */
export function renderConfig(template: string, values: Record<string, string>): string {
  const text = readFileSync(new URL(`../conf/${template}`, import.meta.url), 'utf8');
  return text.replace(/@([A-Z_]+)@/g, (whole, key: string) => values[key] ?? whole);
}

/** A daemon started for a test. */
export interface Daemon {
  readonly port: number;
  readonly dir: string;
  /** Its stderr so far (for failure messages). */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL) and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Spawns `program args` and resolves once it accepts connections on `port`; rejects with its
 * output if it exits first or does not listen within `timeoutMs`.
 */
export async function startDaemon(
  program: string,
  args: readonly string[],
  port: number,
  dir: string,
  timeoutMs = 15_000,
): Promise<Daemon> {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      resolve();
    }),
  );
  const state = { gone: false };
  void exited.then(() => {
    state.gone = true;
  });
  const daemon: Daemon = {
    port,
    dir,
    output: () => output,
    async stop() {
      await stopChild(child, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (state.gone || Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`${program} did not start on port ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return daemon;
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Whether something accepts a TCP connection on 127.0.0.1:port right now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeIn(dir: string, name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
