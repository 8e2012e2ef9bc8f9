/**
 * Scenario 2: one file from a server throttled per connection: Ferry with 1, 4, 8 and 16
 * connections per file against aria2c -x N -s N. A perfect segmented client scales linearly.
 */
import { aria2Split, commandLine } from '../peers/cli-tools.js';
import { measureInto, newRow } from '../peers/launch.js';
import type { Measurement } from '../peers/launch.js';
import { generateFileSync } from '../support/files.js';
import type { Row, ScenarioResult, Sample } from '../types.js';
import { formatBytes, transferTimeoutMs } from './context.js';
import type { BenchContext } from './context.js';
import { ferryOneFile, peerOneFile } from './one-file.js';

/** Adds the server's connection count for the measurement to its sample. */
function countingConnections(ctx: BenchContext, measurement: Measurement): Measurement {
  return {
    ...measurement,
    async transfer(): Promise<Sample> {
      const before = ctx.server.connections();
      const sample = await measurement.transfer();
      return {
        ...sample,
        extra: { ...sample.extra, connections: ctx.server.connections() - before },
      };
    },
  };
}

/** Runs scenario 2. */
export async function runScenario2(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.s2Bytes;
  const rate = ctx.sizes.throttleBytesPerSecond;
  ctx.log(`scenario 2: generating ${formatBytes(size)}`);
  const served = generateFileSync(ctx.servedDir, 's2.bin', size);
  // A single connection needs size/rate; a client that falls to half of that is broken.
  const timeoutMs = transferTimeoutMs(size, rate / 2);
  const plan: { row: Row; measure: () => Measurement }[] = [];
  for (const n of ctx.sizes.s2Connections) {
    plan.push({
      row: newRow(
        'ferry',
        `${n} connection${n === 1 ? '' : 's'}`,
        `job.setTransferPolicy({ connectionsPerFile: ${n} })`,
        n,
      ),
      measure: () => countingConnections(ctx, ferryOneFile(ctx, served, n, timeoutMs)),
    });
    const build = (file: { url: string; name: string }, dir: string) => aria2Split(file, dir, n);
    plan.push({
      row: newRow(
        'aria2c',
        `-x ${n}`,
        commandLine(build({ url: ctx.server.url(served.name), name: served.name }, '<dir>')),
        n,
      ),
      measure: () => countingConnections(ctx, peerOneFile(ctx, served, build, timeoutMs)),
    });
  }
  ctx.server.setThrottle(rate);
  try {
    for (let run = 1; run <= ctx.runs; run += 1) {
      ctx.log(`scenario 2: run ${run}/${ctx.runs}`);
      for (const { row, measure } of plan) await measureInto(row, ctx.log, measure());
    }
  } finally {
    ctx.server.setThrottle(0);
    ctx.temp.remove(served.path);
  }
  return {
    id: 2,
    title: `One ${formatBytes(size)} file, server throttled to ${rate / 1e6} MB/s per connection`,
    params: {
      size: formatBytes(size),
      'limit per connection': `${rate / 1e6} MB/s`,
      runs: ctx.runs,
    },
    rows: plan.map((entry) => entry.row),
    notes:
      size === 1024 ** 3
        ? []
        : [
            `The issue asks for 1 GiB; this run used ${formatBytes(size)} (--s2-size) to bound the run time.`,
          ],
  };
}
