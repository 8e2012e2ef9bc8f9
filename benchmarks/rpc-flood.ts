/**
 * The one-client flood, as a benchmark: other clients' p99 latency while one client floods a
 * real `ferry serve` with unread `jobs.enum` calls, the server's RSS, and how the offender was
 * closed. Target: p99 under 100 ms (the latency the window needs to feel immediate).
 *
 *   npx tsx benchmarks/rpc-flood.ts [--jobs 3000,10000] [--calls 100,200]
 *
 * Runs on Linux (RSS from /proc). Each pair of --jobs and --calls values is one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../main/engine/index.js';
import { describeFlood, runFlood } from '../tests/support/rpc-flood.js';
import { spawnServe } from '../tests/server/serve-process.js';

const TARGET_P99_MS = 100;

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '3000,10000' },
    calls: { type: 'string', default: '100,200' },
  },
});
const jobCounts = values.jobs.split(',').map(Number);
const callCounts = values.calls.split(',').map(Number);

let missed = 0;
for (const [i, jobs] of jobCounts.entries()) {
  const calls = callCounts[i] ?? callCounts[callCounts.length - 1] ?? 100;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-flood-'));
  try {
    const dataDir = join(dir, 'data');
    const engine = createEngine({ dataDir, user: 'bench', env: {}, onWarning: () => undefined });
    for (let n = 0; n < jobs; n++) {
      const job = engine.createJob({
        displayName: `job ${String(n)} ${'n'.repeat(40)}`,
        description: 'd'.repeat(400),
      });
      await job.addFile(`http://127.0.0.1:9/f-${String(n)}.bin`, join(dir, `f-${String(n)}.bin`));
    }
    await engine.close();
    const serve = spawnServe(['--data-dir', dataDir, '--port', '0', '--no-static']);
    try {
      const serving = await serve.serving(60_000);
      const result = await runFlood({
        rpcUrl: serving.rpcUrl,
        token: serving.token,
        pid: serve.pid,
        floodCalls: calls,
        goodClients: 3,
        pingsBeforeResume: 600,
      });
      const met = result.p99Ms < TARGET_P99_MS;
      if (!met) missed++;
      console.log(
        `${String(jobs)} jobs, ${String(calls)} unread enums: ${describeFlood(result)} ` +
          `[p99 target ${String(TARGET_P99_MS)} ms: ${met ? 'met' : 'MISSED'}]`,
      );
    } finally {
      await serve.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exitCode = missed === 0 ? 0 : 1;
