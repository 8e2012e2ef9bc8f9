/**
 * `npm start -- <url> [dest-dir]`: downloads one URL through the job engine.
 *
 * Creates a FOREGROUND job, adds the file, resumes, shows progress until TRANSFERRED, then
 * completes it so the file appears at its final name. Ctrl+C suspends the job (its bytes are
 * kept) and a later run of the same command resumes it.
 */
import { basename, join, resolve } from 'node:path';
import { createEngine, FerryError } from '../engine/index.js';
import type { Job } from '../engine/index.js';

function fail(message: string): never {
  console.error(`ferry: ${message}`);
  process.exit(2);
}

function fileNameOf(url: URL): string {
  const name = decodeURIComponent(basename(url.pathname));
  return name === '' || name === '/' ? 'download' : name.replace(/[/\\]/g, '_');
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit] ?? 'B'}`;
}

async function main(): Promise<void> {
  const [rawUrl, destDir = '.'] = process.argv.slice(2);
  if (rawUrl === undefined) fail('usage: npm start -- <url> [dest-dir]');
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    fail(`'${rawUrl}' is not a valid URL`);
  }
  const localName = join(resolve(destDir), fileNameOf(url));
  const engine = createEngine();
  const existing = engine.enumJobs().find((j) => j.enumFiles()[0]?.localName === localName);
  const job: Job =
    existing ?? engine.createJob({ displayName: fileNameOf(url), priority: 'FOREGROUND' });
  if (existing === undefined) {
    try {
      await job.addFile(url.href, localName);
    } catch (error) {
      // Leave nothing behind for a URL the engine refused.
      await job.cancel();
      engine.removeFromHistory(job.id);
      await engine.close();
      throw error;
    }
  }
  process.on('SIGINT', () => {
    void job.suspend().finally(() => engine.close().finally(() => process.exit(130)));
  });
  await job.resume();
  for (;;) {
    const info = job.info();
    const { bytesTransferred, bytesTotal } = info.progress;
    const total = bytesTotal === null ? '?' : formatBytes(bytesTotal);
    process.stderr.write(`\r${info.state} ${formatBytes(bytesTransferred)} / ${total}   `);
    if (info.state === 'TRANSFERRED') break;
    if (info.state === 'ERROR') {
      process.stderr.write('\n');
      await engine.close();
      fail(`${info.error?.code ?? 'ERROR'}: ${info.error?.message ?? 'transfer failed'}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await job.complete();
  process.stderr.write(`\nSaved ${localName}\n`);
  await engine.close();
}

main().catch((error: unknown) => {
  fail(error instanceof FerryError ? `${error.code}: ${error.message}` : String(error));
});
