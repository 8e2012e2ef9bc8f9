// The bare Node client: node:http GET streamed straight to a file, nothing else. It is the
// ceiling for any Node-based engine on this machine, so Ferry's single connection is judged
// against it.
//
//   node --import tsx benchmarks/peers/node-client.ts '<NodeClientConfig as JSON>' | @config.json
//
// Modes: "single" (one GET, piped to a write stream), "ranges" (N Range GETs into one
// preallocated file with positioned writes), "many" (a list of files over a keep-alive pool of
// `concurrency` connections). Prints one JSON line {"result": NodeClientResult} and exits 0;
// on failure prints the error to stderr and exits 1. CPU and time cover the transfer only.
import { open } from 'node:fs/promises';
import { createWriteStream, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';

/** What the runner passes as the one argument (JSON). */
export type NodeClientConfig =
  | { readonly mode: 'single'; readonly url: string; readonly out: string }
  | {
      readonly mode: 'ranges';
      readonly url: string;
      readonly out: string;
      readonly connections: number;
    }
  | {
      readonly mode: 'many';
      readonly files: readonly { readonly url: string; readonly out: string }[];
      readonly concurrency: number;
    };

/** The one result line. */
export interface NodeClientResult {
  readonly bytes: number;
  readonly wallMs: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function expectStatus(res: IncomingMessage, status: number, url: string): void {
  if (res.statusCode !== status) {
    res.resume();
    throw new Error(`${url}: HTTP ${res.statusCode}, expected ${status}`);
  }
}

async function single(url: string, out: string): Promise<number> {
  const res = await get(url);
  expectStatus(res, 200, url);
  const file = createWriteStream(out, { highWaterMark: 1024 * 1024 });
  let bytes = 0;
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  await pipeline(res, file);
  return bytes;
}

async function ranges(url: string, out: string, connections: number): Promise<number> {
  const head = await get(url, { Range: 'bytes=0-0' });
  expectStatus(head, 206, url);
  head.resume();
  const total = Number(/\/(\d+)$/.exec(head.headers['content-range'] ?? '')?.[1]);
  if (!Number.isSafeInteger(total)) throw new Error(`${url}: no total size in Content-Range`);
  const handle = await open(out, 'w');
  try {
    await handle.truncate(total);
    const part = Math.ceil(total / connections);
    const jobs: Promise<number>[] = [];
    for (let start = 0; start < total; start += part) {
      const end = Math.min(total, start + part) - 1;
      jobs.push(
        (async () => {
          const res = await get(url, { Range: `bytes=${start}-${end}` });
          expectStatus(res, 206, url);
          let position = start;
          for await (const chunk of res as AsyncIterable<Buffer>) {
            let done = 0;
            while (done < chunk.length) {
              const { bytesWritten } = await handle.write(
                chunk,
                done,
                chunk.length - done,
                position + done,
              );
              done += bytesWritten;
            }
            position += chunk.length;
          }
          if (position !== end + 1)
            throw new Error(`${url}: range ${start}-${end} ended at ${position}`);
          return position - start;
        })(),
      );
    }
    const sizes = await Promise.all(jobs);
    return sizes.reduce((a, b) => a + b, 0);
  } finally {
    await handle.close();
  }
}

async function many(
  files: readonly { url: string; out: string }[],
  concurrency: number,
): Promise<number> {
  let next = 0;
  let bytes = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < files.length; index = next++) {
      const file = files[index];
      if (file === undefined) return;
      // Awaited first: `bytes += await …` would read `bytes` before the await and lose updates.
      const got = await single(file.url, file.out);
      bytes += got;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bytes;
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  // The runner holds stdin open: its end means the runner is gone, so this child goes too.
  process.stdin.on('end', () => process.exit(3));
  process.stdin.resume();
  const [arg] = process.argv.slice(2);
  if (arg === undefined) throw new Error('usage: node-client.ts <json-config>');
  // A long config (thousands of files) comes as @file: argv strings are limited to 128 KiB.
  const text = arg.startsWith('@') ? readFileSync(arg.slice(1), 'utf8') : arg;
  const config = JSON.parse(text) as NodeClientConfig;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes: number;
  if (config.mode === 'single') bytes = await single(config.url, config.out);
  else if (config.mode === 'ranges')
    bytes = await ranges(config.url, config.out, config.connections);
  else bytes = await many(config.files, config.concurrency);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const result: NodeClientResult = {
    bytes,
    wallMs,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssBytes: peakRssBytes(),
  };
  process.stdout.write(`${JSON.stringify({ result })}\n`);
  agent.destroy();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
