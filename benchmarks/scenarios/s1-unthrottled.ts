/**
 * Scenario 1: one large file from the page cache, unthrottled. Ferry with one connection and
 * with its default segmentation, both as the engine in a child and as users run it
 * (`ferry transfer` against a running `ferry serve`), against the bare Node client (one GET and
 * 4 ranges), curl, wget and aria2c with 1, 4 and 16 connections.
 */
import { aria2Split, commandLine, curlSingle, wgetSingle } from '../peers/cli-tools.js';
import type { PeerCommand, PeerFile } from '../peers/cli-tools.js';
import { createFerryCli, FERRY_CLI_NOTE, ferryTransferCommandLine } from '../peers/ferry-cli.js';
import { measureInto, newRow } from '../peers/launch.js';
import type { Measurement } from '../peers/launch.js';
import { generateFileSync } from '../support/files.js';
import type { Row, ScenarioResult } from '../types.js';
import { formatBytes, transferTimeoutMs } from './context.js';
import type { BenchContext } from './context.js';
import { ferryCliOneFile, ferryOneFile, nodeOneFile, peerOneFile } from './one-file.js';

/** Row modes the targets look up. */
export const S1 = {
  ferryOne: '1 connection',
  ferryDefault: 'default segmentation',
  cliOne: 'CLI, 1 connection',
  cliDefault: 'CLI, default segmentation',
  nodeSingle: 'one GET',
  nodeRanges: '4 ranges',
} as const;

/** Runs scenario 1. */
export async function runScenario1(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.s1Bytes;
  ctx.server.setThrottle(0);
  ctx.log(`scenario 1: generating ${formatBytes(size)}`);
  const served = generateFileSync(ctx.servedDir, 's1.bin', size);
  const warmUp = generateFileSync(ctx.servedDir, 's1-warm-up.bin', 1024 * 1024);
  const cli = createFerryCli({
    temp: ctx.temp,
    log: ctx.log,
    warmUp: { served: warmUp, url: ctx.server.url(warmUp.name) },
  });
  // Anything slower than 20 MB/s on loopback is broken, not slow.
  const timeoutMs = transferTimeoutMs(size, 20e6);
  const example: PeerFile = { url: ctx.server.url(served.name), name: served.name };
  const peer = (build: (file: PeerFile, dir: string) => PeerCommand) => ({
    command: commandLine(build(example, '<dir>')),
    measure: (): Measurement => peerOneFile(ctx, served, build, timeoutMs),
  });
  const plan: { row: Row; measure: () => Measurement }[] = [
    {
      row: newRow('ferry', S1.ferryOne, 'job.setTransferPolicy({ connectionsPerFile: 1 })', 1),
      measure: () => ferryOneFile(ctx, served, 1, timeoutMs),
    },
    {
      row: newRow('ferry', S1.ferryDefault, 'engine defaults (connectionsPerFile: null)'),
      measure: () => ferryOneFile(ctx, served, null, timeoutMs),
    },
    {
      row: newRow('ferry', S1.cliOne, ferryTransferCommandLine('<url>', 1), 1),
      measure: () => ferryCliOneFile(ctx, cli, served, 1, timeoutMs),
    },
    {
      row: newRow('ferry', S1.cliDefault, ferryTransferCommandLine('<url>', null)),
      measure: () => ferryCliOneFile(ctx, cli, served, null, timeoutMs),
    },
    {
      row: newRow('node', S1.nodeSingle, 'node:http GET piped to fs.createWriteStream', 1),
      measure: () => nodeOneFile(ctx, served, 1, timeoutMs),
    },
    {
      row: newRow('node', S1.nodeRanges, 'node:http, 4 Range GETs, positioned writes', 4),
      measure: () => nodeOneFile(ctx, served, 4, timeoutMs),
    },
  ];
  const peers: [string, string, number, (file: PeerFile, dir: string) => PeerCommand][] = [
    ['curl', 'one GET', 1, curlSingle],
    ['wget', 'one GET', 1, wgetSingle],
    ['aria2c', '-x 1', 1, (file, dir) => aria2Split(file, dir, 1)],
    ['aria2c', '-x 4', 4, (file, dir) => aria2Split(file, dir, 4)],
    ['aria2c', '-x 16', 16, (file, dir) => aria2Split(file, dir, 16)],
  ];
  for (const [tool, mode, connections, build] of peers) {
    const { command, measure } = peer(build);
    plan.push({ row: newRow(tool, mode, command, connections), measure });
  }
  ctx.log('scenario 1: starting ferry serve');
  await cli.start();
  try {
    // Runs are interleaved (every tool once, then again) so machine drift spreads evenly.
    for (let run = 1; run <= ctx.runs; run += 1) {
      ctx.log(`scenario 1: run ${run}/${ctx.runs}`);
      for (const { row, measure } of plan) await measureInto(row, ctx.log, measure());
    }
  } finally {
    await cli.close();
    ctx.temp.remove(served.path);
    ctx.temp.remove(warmUp.path);
  }
  return {
    id: 1,
    title: `One ${formatBytes(size)} file from the page cache, unthrottled`,
    params: { size: formatBytes(size), runs: ctx.runs },
    rows: plan.map((entry) => entry.row),
    notes: [FERRY_CLI_NOTE],
  };
}
