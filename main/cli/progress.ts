import cliProgress from 'cli-progress';
import type { JobInfo } from '../../app/index.js';
import { formatBytes, formatPercent, formatProgressBytes } from './format.js';

/** Shows a job's progress while `ferry transfer` waits for it. */
export interface ProgressView {
  update(job: JobInfo): void;
  /** Ends the view (the bar's line is kept). */
  stop(): void;
}

/** Least time between two plain progress lines when nothing but bytes changed. */
const PLAIN_LINE_INTERVAL_MS = 1_000;

/**
 * A progress bar (cli-progress) on a terminal, plain lines otherwise, both on `stream`.
 *
 * Plain lines appear on every state change and at most once a second in between, so a log
 * of a long transfer stays readable.
 */
export function createProgressView(stream: NodeJS.WriteStream): ProgressView {
  return stream.isTTY ? barView(stream) : plainView(stream);
}

function barView(stream: NodeJS.WriteStream): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{state} [{bar}] {pct} | {bytes} | {files} files | {speed}',
      hideCursor: true,
      barsize: 30,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const speed = speedMeter();
  return {
    update(job) {
      const { bytesTransferred, bytesTotal, filesTransferred, filesTotal } = job.progress;
      const payload = {
        state: job.state.padEnd(15),
        pct: formatPercent(bytesTransferred, bytesTotal).padStart(4),
        bytes: formatProgressBytes(bytesTransferred, bytesTotal),
        files: `${String(filesTransferred)}/${String(filesTotal)}`,
        speed: `${formatBytes(speed(bytesTransferred))}/s`,
      };
      // An unknown size shows an empty bar, never a misleading percentage.
      const total = bytesTotal ?? Math.max(1, bytesTransferred) * 2;
      if (!started) {
        bar.start(total, bytesTransferred, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(bytesTransferred, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function plainView(stream: NodeJS.WriteStream): ProgressView {
  let lastState = '';
  let lastLine = 0;
  return {
    update(job) {
      const now = Date.now();
      if (job.state === lastState && now - lastLine < PLAIN_LINE_INTERVAL_MS) return;
      lastState = job.state;
      lastLine = now;
      const { bytesTransferred, bytesTotal, filesTransferred, filesTotal } = job.progress;
      stream.write(
        `${job.state} ${formatProgressBytes(bytesTransferred, bytesTotal)} ` +
          `(${formatPercent(bytesTransferred, bytesTotal)}), ` +
          `${String(filesTransferred)}/${String(filesTotal)} files\n`,
      );
    },
    stop() {
      // Nothing to tidy: every line is complete.
    },
  };
}

/** Bytes per second over the last few seconds, from successive byte counts. */
function speedMeter(): (bytes: number) => number {
  const samples: { time: number; bytes: number }[] = [];
  return (bytes) => {
    const now = Date.now();
    samples.push({ time: now, bytes });
    while (samples.length > 2 && now - (samples[0]?.time ?? now) > 3_000) samples.shift();
    const first = samples[0];
    if (first === undefined || now === first.time) return 0;
    return Math.max(0, ((bytes - first.bytes) * 1000) / (now - first.time));
  };
}
