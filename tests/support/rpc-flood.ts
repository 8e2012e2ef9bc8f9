// The one-client flood against a running server (a `ferry serve` child): used by
// tests/server/flood.test.ts and benchmarks/rpc-flood.ts.
//
// Some well-behaved clients send one small command at a time and time each answer, while one
// offender stops reading and sends a burst of `jobs.enum` calls over every job. The offender
// resumes reading (only to learn how it was closed) once the others have been answered a given
// number of times during the flood.
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { rpcProtocols } from '../../app/wire.js';
import type { ServerMessage } from '../../app/wire.js';
import { withTimeout } from './child-process.js';

/** Where the server is and how hard to flood it. */
export interface FloodOptions {
  readonly rpcUrl: string;
  readonly token: string;
  /** The server process, whose VmRSS is sampled. */
  readonly pid: number;
  readonly floodCalls: number;
  readonly goodClients: number;
  /** Answers the good clients get before the offender resumes reading. */
  readonly pingsBeforeResume: number;
}

/** What a flood showed. */
export interface FloodResult {
  readonly latenciesMs: readonly number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly rssBeforeMiB: number;
  readonly rssPeakMiB: number;
  readonly close: { readonly code: number; readonly reason: string };
  /** `closing` messages the offender got before the close frame. */
  readonly announced: readonly ServerMessage[];
}

/** Runs one flood and reports it. */
export async function runFlood(options: FloodOptions): Promise<FloodResult> {
  const rssBefore = rssMiB(options.pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssMiB(options.pid));
  }, 20);
  try {
    const good = await Promise.all(
      Array.from({ length: options.goodClients }, () => open(options)),
    );
    const offender = await open(options);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      offender.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
      });
    });
    const announced: ServerMessage[] = [];
    offender.on('message', (data: Buffer) => {
      // Only the small closing message is parsed: parsing megabytes of results here would
      // stall this process and show up as the other clients' latency.
      if (data.subarray(0, 32).toString('latin1').startsWith('{"type":"closing"')) {
        announced.push(JSON.parse(data.toString('utf8')) as ServerMessage);
      }
    });
    // The offender stops reading: everything the server sends it piles up server-side.
    offender.pause();

    let flooding = true;
    let pings = 0;
    const onPing = (): void => {
      if (++pings === options.pingsBeforeResume) offender.resume();
    };
    const measured = good.map((ws) => measureLatencies(ws, () => !flooding, onPing));
    for (let id = 1; id <= options.floodCalls; id++) {
      offender.send(
        JSON.stringify({
          type: 'invoke',
          id,
          command: 'jobs.enum',
          input: { allUsers: true, includeHistory: true },
        }),
      );
    }
    const close = await withTimeout(closed, 120_000, 'the offender to be closed');
    flooding = false;
    const latencies = (await Promise.all(measured)).flat();
    for (const ws of good) ws.close();
    return {
      latenciesMs: latencies,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
      rssBeforeMiB: rssBefore,
      rssPeakMiB: rssPeak,
      close,
      announced,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** One line for a log or a report. */
export function describeFlood(result: FloodResult): string {
  return (
    `${String(result.latenciesMs.length)} answers to the other clients: p50 ${result.p50Ms.toFixed(1)} ms, ` +
    `p99 ${result.p99Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms; server RSS ` +
    `${result.rssBeforeMiB.toFixed(0)} -> peak ${result.rssPeakMiB.toFixed(0)} MiB; offender closed ` +
    `${String(result.close.code)} '${result.close.reason}'`
  );
}

/** A process's resident memory in MiB (VmRSS from /proc; Linux only). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

function open(options: FloodOptions): Promise<WebSocket> {
  const ws = new WebSocket(options.rpcUrl, rpcProtocols(options.token), {
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/** A well-behaved client: one small command at a time, each timed from send to result. */
async function measureLatencies(
  ws: WebSocket,
  until: () => boolean,
  onPing: () => void,
): Promise<number[]> {
  const latencies: number[] = [];
  let id = 0;
  while (!until() || latencies.length < 50) {
    const started = performance.now();
    const sent = ++id;
    await new Promise<void>((resolve) => {
      const onMessage = (data: Buffer): void => {
        const message = JSON.parse(data.toString('utf8')) as ServerMessage;
        if (message.type === 'result' && message.id === sent) {
          ws.off('message', onMessage);
          resolve();
        }
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'invoke', id: sent, command: 'engine.info', input: {} }));
    });
    latencies.push(performance.now() - started);
    onPing();
  }
  return latencies;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
