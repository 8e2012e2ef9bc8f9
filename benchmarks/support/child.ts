/**
 * Child processes of the benchmark: every peer runs as one, bounded in time, measured, and
 * killed if the runner exits first.
 *
 * CPU of a child is read from the runner's own /proc/self/stat (cutime + cstime: CPU of reaped
 * children), before and after the child is reaped. Only one measured child runs at a time, so
 * the difference is that child's CPU, whatever language it is written in.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (tsx resolves from here; scripts are given relative to it). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const live = new Set<ChildProcess>();

/** Kills (SIGKILL) every child still running; the runner calls it on exit and on signals. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * Puts a long-lived child the runner started itself (a `ferry serve`) under the same rule: it is
 * killed if the runner exits first. Returns the function that lets go of it once it has exited.
 */
export function trackChild(child: ChildProcess): () => void {
  live.add(child);
  return () => {
    live.delete(child);
  };
}

/** Clock ticks per second of /proc times (Linux uses 100 on every common architecture). */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) of every child this process has reaped so far. */
export function reapedChildrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[16 - 3]);
    const cstime = Number(fields[17 - 3]);
    return (cutime + cstime) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds (user + system, every thread) a live process has used so far, from
 * /proc/<pid>/stat; NaN once it is gone. For a child that stays up across measurements (a
 * `ferry serve`), whose CPU the reaped-children figure above only shows when it exits.
 */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[14 - 3]) + Number(fields[15 - 3])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** How a finished child went. */
export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From spawn to exit. */
  readonly wallMs: number;
  /** The child's own CPU (and its reaped children's), from /proc. */
  readonly cpuSeconds: number;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the time limit killed it. */
  readonly timedOut: boolean;
}

/** Options of `runChild`. */
export interface RunChildOptions {
  readonly timeoutMs: number;
  readonly cwd?: string;
  /** Called with each stdout line as it arrives. */
  readonly onLine?: (line: string) => void;
  /** Called once the child is running (e.g. to kill it at a chosen moment). */
  readonly onSpawn?: (child: ChildProcess) => void;
  /** Keep at most this many characters of stdout and stderr (default 64 KiB each). */
  readonly keepChars?: number;
}

/** Runs `command args…` to its end (or the time limit) and measures it. Never throws on exit codes. */
export async function runChild(
  command: string,
  args: readonly string[],
  options: RunChildOptions,
): Promise<ChildRun> {
  const keep = options.keepChars ?? 64 * 1024;
  const cpuBefore = reapedChildrenCpuSeconds();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < keep) stderr += text;
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    if (stdout.length < keep) stdout += `${line}\n`;
    options.onLine?.(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => {
        resolve({ code: null, signal: null, error });
      });
      child.once('close', (code, signal) => {
        resolve({ code, signal });
      });
    },
  );
  options.onSpawn?.(child);
  const result = await exited;
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  live.delete(child);
  if (result.error !== undefined) stderr += `\nspawn failed: ${result.error.message}`;
  return {
    code: result.code,
    signal: result.signal,
    wallMs,
    cpuSeconds: reapedChildrenCpuSeconds() - cpuBefore,
    stdout,
    stderr,
    timedOut,
  };
}

/** The arguments that run a TypeScript file of this repository in a child Node through tsx. */
export function tsxArgs(script: string, args: readonly string[]): string[] {
  return ['--import', 'tsx', script, ...args];
}

/** The value of `key` in the last stdout line that parses as a JSON object with it, or undefined. */
export function lastJsonWith(stdout: string, key: string): unknown {
  const lines = stdout.trimEnd().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (key in parsed) return parsed[key];
    } catch {
      // Not a result line.
    }
  }
  return undefined;
}

/** A short description of how a failed child ended, with the tail of its stderr. */
export function describeFailure(what: string, run: ChildRun): string {
  const how = run.timedOut
    ? `timed out after ${Math.round(run.wallMs / 1000)} s`
    : run.signal !== null
      ? `was killed by ${run.signal}`
      : `exited with code ${run.code}`;
  // The first lines name the error, the last ones say where it came from.
  const lines = run.stderr.trim().split('\n');
  const tail = (lines.length <= 12 ? lines : [...lines.slice(0, 4), '…', ...lines.slice(-8)]).join(
    '\n',
  );
  return `${what} ${how}${tail === '' ? '' : `:\n${tail}`}`;
}
