import { startFileServer } from '/work/main/benchmarks/support/file-server.ts';
import { generateFileSync } from '/work/main/benchmarks/support/files.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
const dir = mkdtempSync('/tmp/srv-');
generateFileSync(dir, 'f.bin', 1024 ** 3);
const s = await startFileServer({ root: dir });
for (const out of ['/dev/null', `${dir}/o.bin`, '/dev/null', `${dir}/o.bin`]) {
  const t = performance.now(); const c0 = process.cpuUsage();
  execFileSync('curl', ['-sS', '-o', out, s.url('f.bin')]);
  const ms = performance.now() - t; const c = process.cpuUsage(c0);
  console.log(out, (1024 ** 3 / 1e6 / (ms / 1000)).toFixed(0), 'MB/s', 'server cpu', ((c.user + c.system) / 1e6).toFixed(2));
}
await s.close(); rmSync(dir, { recursive: true });
