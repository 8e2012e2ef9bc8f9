// How long a start waits for the engine lock of a SIGKILLed engine (main/engine/engine-lock.ts):
// a child takes the lock of a fresh data directory and fills `--mib` MiB of memory, is killed
// with SIGKILL, and this process tries the lock at once. The kernel drops the lock when it
// closes the dead process's files, after tearing its memory down, so the wait grows with the
// memory. Not part of `npm run bench`: it has no peer to compare with.
//
//   npx tsx benchmarks/lock-release.ts [--mib 0,2048] [--rounds 3]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { acquireEngineLock } from '../main/engine/engine-lock.js';
import { processPhase } from '../main/engine/process-phase.js';
import { REPO_ROOT } from './support/child.js';

const { values } = parseArgs({
  options: { mib: { type: 'string', default: '0,2048' }, rounds: { type: 'string', default: '3' } },
});
const sizes = values.mib.split(',').map(Number);
const rounds = Number(values.rounds);
const lockModule = new URL('../main/engine/engine-lock.ts', import.meta.url).href;

/** Starts a lock holder with `mib` MiB of touched memory; resolves with its pid once ready. */
async function startHolder(dataDir: string, mib: number) {
  const script = `import(${JSON.stringify(lockModule)}).then(({ acquireEngineLock }) => {
    acquireEngineLock(${JSON.stringify(dataDir)});
    globalThis.keep = Array.from({ length: ${String(mib)} }, () => Buffer.alloc(1 << 20, 1));
    console.log('ready');
    setInterval(() => {}, 1000);
  });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', reject);
  });
  return child;
}

console.log('| holder memory | phase right after the kill | lock taken after the kill | message |');
console.log('|---|---|---|---|');
for (const mib of sizes) {
  for (let round = 0; round < rounds; round++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ferry-lock-release-'));
    try {
      const holder = await startHolder(dataDir, mib);
      const killedAt = performance.now();
      holder.kill('SIGKILL');
      const phase = holder.pid === undefined ? 'gone' : processPhase(holder.pid);
      let message = '';
      const lock = acquireEngineLock(dataDir, { onWaiting: (text) => (message = text) });
      const ms = performance.now() - killedAt;
      lock.release();
      console.log(
        `| ${String(mib)} MiB | ${phase} | ${ms.toFixed(1)} ms | ${message === '' ? '-' : 'yes'} |`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
