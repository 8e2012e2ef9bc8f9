/**
 * UI benchmark (`npm run bench:ui`): the real renderer with 10,000 jobs, 200 of them
 * transferring, fed by an in-page fake host (page/fake-host.ts) through the contract's client
 * interface, in Debian's Chromium. Reports frame intervals while scrolling (batches arriving
 * every 250 ms meanwhile) and how long a 200-job batch takes to reach the screen.
 *
 * Not a test: it prints figures and asserts nothing.
 */
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';

interface BenchApi {
  ready(): Promise<void>;
  scroll(frames: number, pixelsPerFrame: number): Promise<number[]>;
  batchLatency(count: number): Promise<{ sync: number[]; painted: number[] }>;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const fmt = (ms: number) => ms.toFixed(1);

const config = 'benchmarks/ui/vite.config.ts';
await build({ configFile: config });
const server = await preview({ configFile: config, preview: { host: '127.0.0.1', port: 0 } });
const url = server.resolvedUrls?.local[0];
if (url === undefined) throw new Error('vite preview gave no URL');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--no-first-run',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const started = Date.now();
  await page.goto(url);
  // Each callback runs in the page, so it names the page's `bench` itself.
  await page.evaluate(() => (globalThis as unknown as { bench: BenchApi }).bench.ready());
  const loadMs = Date.now() - started;
  const intervals = await page.evaluate(() =>
    (globalThis as unknown as { bench: BenchApi }).bench.scroll(600, 120),
  );
  const latency = await page.evaluate(() =>
    (globalThis as unknown as { bench: BenchApi }).bench.batchLatency(40),
  );
  const rows = await page.locator('[role="option"]').count();

  const lines = [
    `Ferry UI benchmark: 10,000 jobs, 200 transferring, 1280x800, ${String(rows)} rows mounted`,
    `load to first rows (page + 10,000-job snapshot): ${String(loadMs)} ms`,
    `scrolling 600 frames at 120 px/frame, a 200-job batch every 250 ms:`,
    `  frame interval p50 ${fmt(percentile(intervals, 50))} ms, p95 ${fmt(percentile(intervals, 95))} ms, p99 ${fmt(percentile(intervals, 99))} ms, max ${fmt(Math.max(...intervals))} ms`,
    `  frames over 16.7 ms: ${String(intervals.filter((i) => i > 16.7 + 1).length)} of ${String(intervals.length)}; over 33 ms: ${String(intervals.filter((i) => i > 33.4).length)}`,
    `batch of 200 changed jobs to screen (40 batches):`,
    `  mirror + store update (synchronous part, React renders in a microtask after) p50 ${fmt(percentile(latency.sync, 50))} ms, p95 ${fmt(percentile(latency.sync, 95))} ms`,
    `  to the next painted frame p50 ${fmt(percentile(latency.painted, 50))} ms, p95 ${fmt(percentile(latency.painted, 95))} ms, max ${fmt(Math.max(...latency.painted))} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await browser.close();
  await new Promise<void>((resolve) => {
    server.httpServer.close(() => {
      resolve();
    });
  });
}
