/**
 * Ferry as users run it: `ferry transfer URL… --dest DIR` (the built CLI, `bin/ferry.js`)
 * against a `ferry serve` that is already running. Each sample is the CLI as a child process,
 * timed from spawn to exit like curl, so the CLI's start-up, its connection to the server, the
 * server's name planning (`downloads.plan` with a probe) and the job's commands are all in it.
 *
 * One server per scenario, on a fresh data directory and a free port (`--port 0`), started
 * before the scenario's runs and warmed up with one small transfer (not counted), as a server a
 * user has had running. `--no-start` makes a CLI that cannot find it fail instead of timing a
 * cold start of its own (that is `npm run bench:startup`'s "cold" figure). A failed run restarts
 * the server on a new data directory, so a job left running never overlaps the next sample.
 *
 * CPU of a sample is the CLI's (reaped child) plus what the server used meanwhile, read from
 * its /proc stat; both are kept apart in the sample's extras.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  describeFailure,
  processCpuSeconds,
  REPO_ROOT,
  runChild,
  trackChild,
} from '../support/child.js';
import { verifyDownloads } from '../support/files.js';
import type { ServedFile, TempRoot } from '../support/files.js';
import type { Sample } from '../types.js';
import { PeerFailure } from './launch.js';

/** The `ferry` bin users run (it runs the built CLI, `dist/cli/ferry.mjs`). */
export const FERRY_BIN = join(REPO_ROOT, 'bin', 'ferry.js');

/**
 * Brings `dist/cli` up to date with the sources: `bin/ferry.js` only builds a missing CLI, so
 * without this a benchmark could time yesterday's build. The build's output goes to stderr,
 * where benchmark progress goes (stdout carries the report).
 */
export function buildFerryCli(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), 'cli', '--if-stale'], {
    stdio: ['ignore', 2, 2],
  });
}

/** What one `ferry transfer` is asked to do. */
export interface FerryTransferRequest {
  readonly dataDir: string;
  readonly urls: readonly string[];
  readonly dest: string;
  /** `--connections N`; null keeps the engine's default segmentation. */
  readonly connections: number | null;
}

/** The arguments after `bin/ferry.js` for one transfer. */
export function ferryTransferArgs(request: FerryTransferRequest): string[] {
  return [
    '--data-dir',
    request.dataDir,
    '--no-start',
    'transfer',
    ...request.urls,
    '--dest',
    request.dest,
    ...(request.connections === null ? [] : ['--connections', String(request.connections)]),
  ];
}

/** The arguments after `bin/ferry.js` that start the server. */
export function ferryServeArgs(dataDir: string): string[] {
  // --no-static: the window's files are not needed to transfer (and may not be built).
  return ['--data-dir', dataDir, '--port', '0', 'serve', '--no-static'];
}

/** The transfer and its server as one would type them, for the report (`urlsLabel`: the URLs). */
export function ferryTransferCommandLine(urlsLabel: string, connections: number | null): string {
  const args = ferryTransferArgs({
    dataDir: '<data>',
    urls: [urlsLabel],
    dest: '<dir>',
    connections,
  });
  return `ferry ${args.join(' ')}; server: ferry ${ferryServeArgs('<data>').join(' ')}`;
}

/** What the CLI rows are: a note under every table that has them. */
export const FERRY_CLI_NOTE =
  'CLI rows: `ferry transfer` (the built CLI) against a `ferry serve` started once for the scenario (warmed up by one small transfer), timed from spawn to exit like curl, so the CLI’s start-up, its connection and the name planning are included; CPU is the CLI’s plus the server’s over the same window.';

const SERVING = /^Ferry is serving at (http:\/\/127\.0\.0\.1:\d+\/)/m;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** A running `ferry serve` child. */
interface ServeProcess {
  readonly pid: number;
  readonly dataDir: string;
  /** CPU seconds the server has used since it started. */
  cpuSeconds(): number;
  /** The tail of what it printed, for failure messages. */
  output(): string;
  /** SIGTERM (a clean shutdown), SIGKILL if it is not gone in time; or SIGKILL at once. */
  stop(how: 'graceful' | 'kill'): Promise<void>;
}

function startServe(dataDir: string): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [FERRY_BIN, ...ferryServeArgs(dataDir)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const untrack = trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    if (stdout.length < 16_384) stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = `${stderr}${text}`.slice(-8_192);
  });
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      gone = true;
      untrack();
      resolve();
    });
  });
  const output = (): string => `${stdout.trim()}\n${stderr.trim()}`.trim();
  const pid = child.pid;
  const serve: ServeProcess = {
    pid: pid ?? -1,
    dataDir,
    cpuSeconds: () => (pid === undefined ? Number.NaN : processCpuSeconds(pid)),
    output,
    async stop(how) {
      if (gone) return;
      child.kill(how === 'kill' ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      return true;
    };
    const fail = (why: string): void => {
      if (!settle()) return;
      void serve.stop('kill').then(() => {
        reject(new PeerFailure(`ferry serve ${why}:\n${output()}`));
      });
    };
    const timer = setTimeout(() => {
      fail(`printed no "serving at" line within ${START_TIMEOUT_MS / 1000} s`);
    }, START_TIMEOUT_MS);
    const check = (): void => {
      if (SERVING.test(stdout) && settle()) resolve(serve);
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      fail('exited before serving');
    });
    child.once('error', (error) => {
      fail(`could not be started (${error.message})`);
    });
  });
}

/** A small file the server fetches once before the measured runs. */
export interface WarmUp {
  readonly served: ServedFile;
  readonly url: string;
}

/** Options of `createFerryCli`. */
export interface FerryCliOptions {
  readonly temp: TempRoot;
  readonly log: (line: string) => void;
  readonly warmUp: WarmUp;
}

/** One transfer's outcome: the sample (its bytes as given) and the paths the CLI printed. */
export interface FerryCliTransfer {
  readonly sample: Sample;
  readonly saved: readonly string[];
}

/** The CLI and its server for one scenario. */
export interface FerryCli {
  /** Builds the CLI if stale, starts the server and warms it up; a failure fails every run. */
  start(): Promise<void>;
  /**
   * Runs `ferry transfer` for `urls` into `dest`; `bytes` is what the files add up to. Throws
   * PeerFailure when the CLI fails or reports fewer saved files than URLs.
   */
  transfer(
    urls: readonly string[],
    dest: string,
    connections: number | null,
    bytes: number,
    timeoutMs: number,
  ): Promise<FerryCliTransfer>;
  /** Stops the server (cleanly). */
  close(): Promise<void>;
}

let built = false;

/** The CLI and its server for one scenario (nothing runs until `start`). */
export function createFerryCli(options: FerryCliOptions): FerryCli {
  let serve: ServeProcess | null = null;
  let startFailure: string | null = null;

  const launch = async (): Promise<void> => {
    const dataDir = options.temp.dir('ferry-serve-data');
    serve = await startServe(dataDir);
    options.log(`  ferry serve: pid ${serve.pid}, data directory ${dataDir}`);
    const dest = options.temp.dir('ferry-cli-warm-up');
    try {
      await runTransfer(serve, [options.warmUp.url], dest, null, START_TIMEOUT_MS);
      await verifyDownloads(
        [{ served: options.warmUp.served, downloaded: join(dest, options.warmUp.served.name) }],
        'ferry transfer (warm-up)',
      );
    } finally {
      options.temp.remove(dest);
    }
  };

  const runTransfer = async (
    server: ServeProcess,
    urls: readonly string[],
    dest: string,
    connections: number | null,
    timeoutMs: number,
  ): Promise<{ cli: Awaited<ReturnType<typeof runChild>>; serveCpuSeconds: number }> => {
    const cpu0 = server.cpuSeconds();
    const cli = await runChild(
      process.execPath,
      [FERRY_BIN, ...ferryTransferArgs({ dataDir: server.dataDir, urls, dest, connections })],
      // It prints one line per saved file: keep them all to count them.
      { timeoutMs, keepChars: Math.max(65_536, urls.length * 1024) },
    );
    const serveCpuSeconds = server.cpuSeconds() - cpu0;
    if (cli.code !== 0) throw new PeerFailure(describeFailure('ferry transfer', cli));
    return { cli, serveCpuSeconds };
  };

  const start = async (): Promise<void> => {
    try {
      if (!built) {
        buildFerryCli();
        built = true;
      }
      await launch();
      startFailure = null;
    } catch (error) {
      startFailure = error instanceof Error ? error.message : String(error);
      options.log(`  ferry serve: FAILED ${startFailure.split('\n')[0] ?? ''}`);
      await serve?.stop('kill');
      serve = null;
    }
  };

  return {
    start,
    async transfer(urls, dest, connections, bytes, timeoutMs) {
      if (serve === null) {
        throw new PeerFailure(`ferry serve is not running: ${startFailure ?? 'never started'}`);
      }
      const server = serve;
      try {
        const { cli, serveCpuSeconds } = await runTransfer(
          server,
          urls,
          dest,
          connections,
          timeoutMs,
        );
        const saved = cli.stdout.split('\n').filter((line) => line !== '');
        if (saved.length !== urls.length) {
          throw new PeerFailure(
            `ferry transfer printed ${saved.length} saved files for ${urls.length} URLs`,
          );
        }
        return {
          sample: {
            bytes,
            wallMs: cli.wallMs,
            cpuSeconds: cli.cpuSeconds + serveCpuSeconds,
            extra: { cliCpuSeconds: cli.cpuSeconds, serveCpuSeconds },
          },
          saved,
        };
      } catch (error) {
        // A job of a killed CLI may still run in the server: the next run gets a fresh one.
        options.log('  ferry serve: restarting on a new data directory after a failed run');
        await server.stop('kill');
        serve = null;
        await start();
        throw error;
      }
    },
    async close() {
      await serve?.stop('graceful');
      serve = null;
    },
  };
}
