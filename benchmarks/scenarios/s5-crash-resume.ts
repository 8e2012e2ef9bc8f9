/**
 * Scenario 5: crash resume. A throttled download with 4 connections is killed with SIGKILL when
 * the server has sent half the file, then started again; the server's byte counter says how
 * much was fetched twice. aria2c -x4 is treated the same way, with its default control-file
 * save interval and with --auto-save-interval=1.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { aria2Split, commandLine } from '../peers/cli-tools.js';
import type { PeerFile } from '../peers/cli-tools.js';
import {
  measureInto,
  newRow,
  PeerFailure,
  runFerryChild,
  runPeerCommand,
} from '../peers/launch.js';
import type { Measurement } from '../peers/launch.js';
import { generateFileSync, verifyDownloads } from '../support/files.js';
import type { ServedFile } from '../support/files.js';
import type { Row, ScenarioResult } from '../types.js';
import { formatBytes, transferTimeoutMs } from './context.js';
import type { BenchContext } from './context.js';

/** Connections per file in this scenario (the 4). */
export const S5_CONNECTIONS = 4;

/** SIGKILLs the child once the server has sent `threshold` bytes of `path`. */
function killAt(
  ctx: BenchContext,
  path: string,
  threshold: number,
): { onSpawn: (child: ChildProcess) => void; killedAt: () => number } {
  let killedAt = Number.NaN;
  return {
    onSpawn(child) {
      const timer = setInterval(() => {
        if (child.exitCode !== null || child.signalCode !== null) {
          clearInterval(timer);
        } else if (ctx.server.bytesSent(path) >= threshold) {
          killedAt = ctx.server.bytesSent(path);
          child.kill('SIGKILL');
          clearInterval(timer);
        }
      }, 5);
      child.once('exit', () => {
        clearInterval(timer);
      });
    },
    killedAt: () => killedAt,
  };
}

function crashMeasurement(
  ctx: BenchContext,
  served: ServedFile,
  who: string,
  runTwice: (
    dir: string,
    out: string,
    onSpawn: (child: ChildProcess) => void,
  ) => Promise<{ wallMs: number; cpuSeconds: number }>,
): Measurement {
  const dir = ctx.temp.dir(who);
  const out = join(dir, served.name);
  const path = `/${served.name}`;
  return {
    async transfer() {
      ctx.server.resetCounters();
      const killer = killAt(ctx, path, served.size / 2);
      const { wallMs, cpuSeconds } = await runTwice(dir, out, killer.onSpawn);
      const killedAt = killer.killedAt();
      if (Number.isNaN(killedAt))
        throw new PeerFailure(`${who} finished before it could be killed at 50 %`);
      const sent = ctx.server.bytesSent(path);
      return {
        bytes: served.size,
        wallMs,
        cpuSeconds,
        extra: {
          killedAtMiB: killedAt / 2 ** 20,
          fetchedTwiceMiB: (sent - served.size) / 2 ** 20,
          sentMiB: sent / 2 ** 20,
        },
      };
    },
    verify: () => verifyDownloads([{ served, downloaded: out }], who),
    cleanup: () => {
      ctx.temp.remove(dir);
    },
  };
}

/** Runs scenario 5. */
export async function runScenario5(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.s5Bytes;
  const rate = ctx.sizes.throttleBytesPerSecond;
  ctx.log(`scenario 5: generating ${formatBytes(size)}`);
  const served = generateFileSync(ctx.servedDir, 's5.bin', size);
  const timeoutMs = transferTimeoutMs(size, rate / 2);
  const file: PeerFile = { url: ctx.server.url(served.name), name: served.name };

  const ferry = (): Measurement =>
    crashMeasurement(ctx, served, 'ferry', async (dir, out, onSpawn) => {
      const config = {
        mode: 'download' as const,
        dataDir: join(dir, 'data'),
        files: [{ url: file.url, localName: out }],
        connectionsPerFile: S5_CONNECTIONS,
      };
      const first = await runFerryChild({ ...config, create: true }, dir, {
        timeoutMs,
        onSpawn,
        allowKill: true,
      });
      if (first.run.signal !== 'SIGKILL')
        throw new PeerFailure('ferry engine was not killed at 50 %');
      const second = await runFerryChild({ ...config, create: false }, dir, {
        timeoutMs,
      });
      return {
        wallMs: first.run.wallMs + second.run.wallMs,
        cpuSeconds: first.run.cpuSeconds + second.run.cpuSeconds,
      };
    });
  const aria2 = (extra: readonly string[]) => (): Measurement =>
    crashMeasurement(ctx, served, 'aria2c', async (dir, _out, onSpawn) => {
      const command = aria2Split(file, dir, S5_CONNECTIONS, extra);
      const first = await runPeerCommand(command, { timeoutMs, onSpawn, allowKill: true });
      if (first.signal !== 'SIGKILL') throw new PeerFailure('aria2c was not killed at 50 %');
      const second = await runPeerCommand(command, { timeoutMs });
      return {
        wallMs: first.wallMs + second.wallMs,
        cpuSeconds: first.cpuSeconds + second.cpuSeconds,
      };
    });
  const plan: { row: Row; measure: () => Measurement }[] = [
    {
      row: newRow(
        'ferry',
        `${S5_CONNECTIONS} connections`,
        `job.setTransferPolicy({ connectionsPerFile: ${S5_CONNECTIONS} }), engine defaults`,
        S5_CONNECTIONS,
      ),
      measure: ferry,
    },
    {
      row: newRow(
        'aria2c',
        `-x ${S5_CONNECTIONS}, default save interval`,
        commandLine(aria2Split(file, '<dir>', S5_CONNECTIONS)),
        S5_CONNECTIONS,
      ),
      measure: aria2([]),
    },
    {
      row: newRow(
        'aria2c',
        `-x ${S5_CONNECTIONS} --auto-save-interval=1`,
        commandLine(aria2Split(file, '<dir>', S5_CONNECTIONS, ['--auto-save-interval=1'])),
        S5_CONNECTIONS,
      ),
      measure: aria2(['--auto-save-interval=1']),
    },
  ];
  ctx.server.setThrottle(rate);
  try {
    for (let run = 1; run <= ctx.runs; run += 1) {
      ctx.log(`scenario 5: run ${run}/${ctx.runs}`);
      for (const { row, measure } of plan) await measureInto(row, ctx.log, measure());
    }
  } finally {
    ctx.server.setThrottle(0);
    ctx.temp.remove(served.path);
  }
  return {
    id: 5,
    title: `Crash resume: SIGKILL at 50 % of a ${formatBytes(size)} file, ${rate / 1e6} MB/s per connection, ${S5_CONNECTIONS} connections`,
    params: {
      size: formatBytes(size),
      'limit per connection': `${rate / 1e6} MB/s`,
      connections: S5_CONNECTIONS,
      runs: ctx.runs,
    },
    rows: plan.map((entry) => entry.row),
    notes: [
      'Killed when the server had sent half the file; "fetched twice" is what the server sent in all minus the file size.',
    ],
  };
}
