/**
 * Scenario 4: many queued jobs. One engine creates them (one file each, left SUSPENDED so that
 * nothing transfers and the engine can be watched idle); a second engine opens the same store,
 * and the runner records how long the restore took, the RSS and the CPU while idle.
 */
import { join } from 'node:path';
import { measureInto, newRow, PeerFailure, runFerryChild } from '../peers/launch.js';
import type { ScenarioResult } from '../types.js';
import type { BenchContext } from './context.js';

const TIMEOUT_MS = 15 * 60_000;

/** Runs scenario 4. */
export async function runScenario4(ctx: BenchContext): Promise<ScenarioResult> {
  const jobs = ctx.sizes.s4Jobs;
  const row = newRow(
    'ferry',
    `${jobs.toLocaleString('en-US')} jobs`,
    'createJob + addFile per job, then a restart',
  );
  for (let run = 1; run <= ctx.runs; run += 1) {
    ctx.log(`scenario 4: run ${run}/${ctx.runs}`);
    const dir = ctx.temp.dir('queue');
    await measureInto(row, ctx.log, {
      async transfer() {
        const dataDir = join(dir, 'data');
        const created = await runFerryChild(
          {
            mode: 'queue-create',
            dataDir,
            jobs,
            urlBase: ctx.server.origin,
            localDir: join(dir, 'out'),
          },
          dir,
          { timeoutMs: TIMEOUT_MS },
        );
        const restored = await runFerryChild(
          { mode: 'queue-restore', dataDir, idleMs: ctx.sizes.s4IdleMs },
          dir,
          { timeoutMs: TIMEOUT_MS },
        );
        const create = created.result;
        const restore = restored.result;
        if (create === undefined || restore === undefined)
          throw new PeerFailure('ferry engine printed no result');
        if (restore.jobs !== jobs)
          throw new PeerFailure(`ferry restored ${restore.jobs} of ${jobs} jobs`);
        return {
          bytes: 0,
          wallMs: create.wallMs,
          cpuSeconds: create.cpuSeconds,
          peakRssBytes: restore.peakRssBytes,
          extra: {
            createMs: create.wallMs,
            createPerJobMs: create.wallMs / jobs,
            restoreMs: restore.restoreMs,
            rssMB: restore.rssBytes / 1e6,
            peakRssMB: restore.peakRssBytes / 1e6,
            createPeakRssMB: create.peakRssBytes / 1e6,
            idleCpuPercent: restore.idleCpuPercent,
          },
        };
      },
      verify: () => Promise.resolve(),
      cleanup: () => {
        ctx.temp.remove(dir);
      },
    });
  }
  return {
    id: 4,
    title: `${jobs.toLocaleString('en-US')} queued jobs`,
    params: { jobs, 'idle window': `${ctx.sizes.s4IdleMs / 1000} s`, runs: ctx.runs },
    rows: [row],
    notes: [
      'Each job has one file and stays SUSPENDED, so the restored engine has nothing to transfer and its idle CPU is its own.',
      'RSS is the restored engine’s (VmRSS after restore and the idle window); create time covers CreateJob + AddFile for every job.',
    ],
  };
}
