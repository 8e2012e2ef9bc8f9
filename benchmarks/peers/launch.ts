/**
 * Starting peers and reading what they report: native tools through their command lines,
 * Node clients and Ferry through their JSON result line.
 *
 * A peer that exits badly throws PeerFailure; the caller records it as a failed run.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, lastJsonWith, runChild, tsxArgs } from '../support/child.js';
import type { ChildRun } from '../support/child.js';
import type { Row, Sample } from '../types.js';
import type { PeerCommand } from './cli-tools.js';
import type {
  FerryChildConfig,
  FerryDownloadResult,
  FerryQueueCreateResult,
  FerryQueueRestoreResult,
} from './ferry-child.js';
import type { NodeClientConfig, NodeClientResult } from './node-client.js';

/** A peer that failed: it crashed, timed out, or delivered a wrong file. */
export class PeerFailure extends Error {
  override readonly name = 'PeerFailure';
}

/** Options shared by every launch. */
export interface LaunchOptions {
  readonly timeoutMs: number;
  readonly onSpawn?: (child: ChildProcess) => void;
  readonly onLine?: (line: string) => void;
}

/** Runs a native peer to its end; throws PeerFailure unless it exits 0 (or `allowKill` and it was killed). */
export async function runPeerCommand(
  command: PeerCommand,
  options: LaunchOptions & { allowKill?: boolean },
): Promise<ChildRun> {
  for (const [path, content] of command.inputs) writeFileSync(path, content);
  const run = await runChild(command.program, command.args, options);
  const killed = run.signal === 'SIGKILL' && !run.timedOut && options.allowKill === true;
  if (run.code !== 0 && !killed) throw new PeerFailure(describeFailure(command.program, run));
  return run;
}

/** Writes a child's JSON config beside its downloads and returns the @path argument. */
function configArg(dir: string, config: object): string {
  const path = join(dir, `config-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return `@${path}`;
}

/** Runs the bare Node client; its numbers cover the transfer only. */
export async function runNodeClient(
  config: NodeClientConfig,
  scratch: string,
  options: LaunchOptions,
): Promise<Sample> {
  const run = await runChild(
    process.execPath,
    tsxArgs('benchmarks/peers/node-client.ts', [configArg(scratch, config)]),
    options,
  );
  // The child is ours and prints exactly this shape.
  const result = lastJsonWith(run.stdout, 'result') as NodeClientResult | undefined;
  if (run.code !== 0 || result === undefined) {
    throw new PeerFailure(describeFailure('node client', run));
  }
  return {
    bytes: result.bytes,
    wallMs: result.wallMs,
    cpuSeconds: result.cpuSeconds,
    peakRssBytes: result.peakRssBytes,
  };
}

/** What the engine child prints for each mode. */
interface FerryResults {
  download: FerryDownloadResult;
  'queue-create': FerryQueueCreateResult;
  'queue-restore': FerryQueueRestoreResult;
}

/**
 * Runs Ferry's engine child and returns its result line. The result is undefined only when the
 * child was killed on purpose (`allowKill`); any other failure throws PeerFailure.
 */
export async function runFerryChild<C extends FerryChildConfig>(
  config: C,
  scratch: string,
  options: LaunchOptions & { allowKill?: boolean },
): Promise<{ result: FerryResults[C['mode']] | undefined; run: ChildRun }> {
  const run = await runChild(
    process.execPath,
    tsxArgs('benchmarks/peers/ferry-child.ts', [configArg(scratch, config)]),
    options,
  );
  // The child is ours and prints the result of the mode it was given.
  const result = lastJsonWith(run.stdout, 'result') as FerryResults[C['mode']] | undefined;
  const killed = run.signal === 'SIGKILL' && !run.timedOut && options.allowKill === true;
  if (killed) return { result: undefined, run };
  if (run.code !== 0 || result === undefined) {
    throw new PeerFailure(describeFailure('ferry engine', run));
  }
  return { result, run };
}

/** An empty row. */
export function newRow(tool: string, mode: string, command: string, connections?: number): Row {
  return {
    tool,
    mode,
    command,
    samples: [],
    failures: [],
    ...(connections === undefined ? {} : { connections }),
  };
}

/** One measurement: the transfer (timed, with the server's CPU beside it), then its check. */
export interface Measurement {
  readonly transfer: () => Promise<Sample>;
  /** Throws VerificationError when a file is wrong. */
  readonly verify: () => Promise<void>;
  /** Always runs, pass or fail (removes 1 GiB downloads). */
  readonly cleanup?: () => void;
}

/**
 * Runs one measurement into `row`: a sample on success, a failure line otherwise. Only
 * PeerFailure and verification errors are recorded; anything else is a bug in the runner.
 *
 * The runner's own CPU during the transfer is the file server's (the runner does nothing else
 * then); it goes into the sample as `serverCpuSeconds`, to show the server is not the limit.
 */
export async function measureInto(
  row: Row,
  log: (line: string) => void,
  measurement: Measurement,
): Promise<void> {
  try {
    const cpu0 = process.cpuUsage();
    const sample = await measurement.transfer();
    const cpu = process.cpuUsage(cpu0);
    await measurement.verify();
    const serverCpuSeconds = (cpu.user + cpu.system) / 1e6;
    row.samples.push({ ...sample, extra: { ...sample.extra, serverCpuSeconds } });
    const mbps = sample.bytes / 1e6 / (sample.wallMs / 1000);
    log(
      `  ${row.tool} ${row.mode}: ${(sample.wallMs / 1000).toFixed(2)} s, ${mbps.toFixed(1)} MB/s, ` +
        `${sample.cpuSeconds.toFixed(2)} s CPU (server ${serverCpuSeconds.toFixed(2)} s)`,
    );
  } catch (error) {
    if (!(error instanceof Error) || !['PeerFailure', 'VerificationError'].includes(error.name))
      throw error;
    row.failures.push(error.message);
    log(`  ${row.tool} ${row.mode}: FAILED ${error.message.split('\n')[0] ?? ''}`);
  } finally {
    measurement.cleanup?.();
  }
}
