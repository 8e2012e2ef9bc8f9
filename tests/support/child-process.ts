// Runs a TypeScript script in a child Node process (through tsx) and reads the JSON lines it
// prints, so a test can watch a child, kill it at a chosen moment and wait for it to be gone.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root: tsx is resolved from here, and scripts are given relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How a child ended: its exit code, or the signal that killed it. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running `node --import tsx <script> <args…>` whose stdout is JSON lines. */
export interface JsonLineChild<T> {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Every parsed stdout line so far, in order. */
  readonly lines: readonly T[];
  /** Everything the child wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Resolves once the process has exited and been reaped (its stdio closed). */
  readonly exited: Promise<ChildExit>;
  /** The exit, once `exited` has resolved; null while it runs. */
  exit(): ChildExit | null;
  /**
   * Resolves with the first line (already printed or still to come) for which `predicate`
   * holds; rejects when the child exits first or after `timeoutMs`, naming `what`.
   */
  waitForLine(predicate: (line: T) => boolean, what: string, timeoutMs: number): Promise<T>;
  /** Sends `signal` (if still running) and waits, at most `timeoutMs`, for the exit. */
  kill(signal: NodeJS.Signals, timeoutMs?: number): Promise<ChildExit>;
}

/**
 * Starts `script` (a path relative to the repository root) with tsx.
 *
 * The child's stdin is a pipe the parent never writes to: it ends when the parent exits, even
 * by a crash, so a child that watches it cannot outlive a test run that died.
 *
 * Lines that are not JSON are kept in stderr() prefixed with "stdout:", so a stray log line
 * shows up in a failure message instead of breaking the parse.
 */
export function spawnJsonLineChild<T>(script: string, args: readonly string[]): JsonLineChild<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`Could not start ${script}`);
  const pid = child.pid;
  const lines: T[] = [];
  let stderr = '';
  let exit: ChildExit | null = null;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (text.trim() === '') return;
    try {
      lines.push(JSON.parse(text) as T);
    } catch {
      stderr += `stdout: ${text}\n`;
      return;
    }
    notify();
  });
  // 'close' rather than 'exit': stdio is drained by then, so every line has been parsed.
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
      notify();
    });
  });

  const waitForLine = (
    predicate: (line: T) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let checked = 0;
      const finish = (error: Error | null, line?: T): void => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error === null) resolve(line as T);
        else reject(error);
      };
      const check = (): void => {
        for (; checked < lines.length; checked++) {
          const line = lines[checked] as T;
          if (predicate(line)) {
            finish(null, line);
            return;
          }
        }
        if (exit !== null) {
          finish(
            new Error(
              `Child ${pid} exited (code ${exit.code}, signal ${exit.signal}) before ${what}; ` +
                `last line: ${JSON.stringify(lines.at(-1))}; stderr: ${stderr.slice(-2000)}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${what} from child ${pid}; ` +
              `last line: ${JSON.stringify(lines.at(-1))}; stderr: ${stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  const kill = (signal: NodeJS.Signals, timeoutMs = 10_000): Promise<ChildExit> => {
    if (exit === null) child.kill(signal);
    return withTimeout(exited, timeoutMs, `child ${pid} to exit after ${signal}`);
  };

  return {
    process: child,
    pid,
    lines,
    stderr: () => stderr,
    exited,
    exit: () => exit,
    waitForLine,
    kill,
  };
}

/** Resolves with `promise`, or rejects after `timeoutMs` naming `what`. */
export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
