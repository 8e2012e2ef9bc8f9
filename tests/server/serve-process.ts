// Runs `ferry serve` (the bin, which runs the built CLI: what `npm run serve` runs) as a real
// child process and reads the one "Ferry is serving at" line it prints.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuiltCli } from '../support/built-cli.js';
import { REPO_ROOT, withTimeout } from '../support/child-process.js';
import type { ChildExit } from '../support/child-process.js';

/** What the serving line tells. */
export interface Serving {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly rpcUrl: string;
}

/** A running server child. */
export interface ServeChild {
  readonly process: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<ChildExit>;
  /** Resolves with the serving line's contents; rejects if the child exits first. */
  serving(timeoutMs?: number): Promise<Serving>;
  /** Sends `signal` if still running and waits for the exit. */
  kill(signal: NodeJS.Signals, timeoutMs?: number): Promise<ChildExit>;
}

const SERVING = /^Ferry is serving at (http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]{64}))$/m;

/** Starts `node bin/ferry.js serve <args>`. */
export function spawnServe(args: readonly string[]): ServeChild {
  return spawnServing([join(REPO_ROOT, 'bin', 'ferry.js'), 'serve', ...args]);
}

/** Starts `node bin/ferry.js <globalArgs> serve --no-static`: `ferry serve` as users run it. */
export function spawnFerryServe(globalArgs: readonly string[]): ServeChild {
  return spawnServing([join(REPO_ROOT, 'bin', 'ferry.js'), ...globalArgs, 'serve', '--no-static']);
}

function spawnServing(nodeArgs: readonly string[]): ServeChild {
  ensureBuiltCli();
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start the server child');
  const pid = child.pid;
  let out = '';
  let err = '';
  let exit: ChildExit | null = null;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const serving = async (timeoutMs = 15_000): Promise<Serving> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = SERVING.exec(out);
      if (match !== null) {
        const [, url = '', port = '', token = ''] = match;
        return { url, port: Number(port), token, rpcUrl: `ws://127.0.0.1:${port}/rpc` };
      }
      if (exit !== null || Date.now() > deadline) {
        throw new Error(
          `server child ${pid} ${exit === null ? 'printed no serving line in time' : 'exited'}; ` +
            `stdout: ${out.slice(-1000)}; stderr: ${err.slice(-2000)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    process: child,
    pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    serving,
    kill(signal, timeoutMs = 15_000) {
      if (exit === null) child.kill(signal);
      return withTimeout(exited, timeoutMs, `server child ${pid} to exit after ${signal}`);
    },
  };
}
