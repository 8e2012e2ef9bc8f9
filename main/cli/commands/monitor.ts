import type { Command } from 'commander';
import type { JobInfo } from '../../../app/index.js';
import { FerryError } from '../../../app/index.js';
import { createJobMirror } from '../../../app/job-mirror.js';
import { parseCount } from '../args.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatJobTable, formatTime } from '../format.js';
import type { JsonOption } from './shared.js';
import { withJson } from './shared.js';

interface MonitorOptions extends JsonOption {
  readonly refresh: string;
  readonly count?: string;
  readonly all?: boolean;
  readonly history?: boolean;
}

/** Clears a terminal and moves the cursor home, as bitsadmin /monitor redraws. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/**
 * `ferry monitor`: a live job table, as bitsadmin /monitor.
 *
 * The table is kept by a job mirror (pushed `jobsChanged` batches on top of one snapshot), so
 * a refresh costs no request. On a terminal each refresh redraws the screen; when stdout is a
 * pipe or a file, each refresh appends one snapshot (with `--json`, one JSON array of JobInfo
 * per line). Runs until Ctrl+C, or `--count` refreshes.
 */
export function registerMonitorCommand(program: Command, ctx: CliContext): void {
  withJson(
    program
      .command('monitor')
      .description('live view of the jobs, redrawn every refresh until Ctrl+C')
      .option('--refresh <ms>', 'milliseconds between refreshes', '1000')
      .option('--count <n>', 'stop after this many refreshes')
      .option('--all', "every user's jobs")
      .option('--history', 'also jobs in history'),
  ).action(async (options: MonitorOptions) => {
    const refresh = Math.max(100, parseCount(options.refresh, 'refresh interval'));
    const count = options.count === undefined ? Infinity : parseCount(options.count, 'count');
    const client = await ctx.client();
    const tty = process.stdout.isTTY && options.json !== true;

    let ready: () => void = () => undefined;
    const firstSnapshot = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const mirror = createJobMirror(
      client,
      { allUsers: options.all === true, includeHistory: options.history === true },
      () => {
        ready();
      },
    );
    const draw = (): void => {
      const jobs = [...mirror.jobs.values()].sort(byCreation);
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(jobs)}\n`);
      } else {
        const text = `${formatTime(Date.now())}  ${String(jobs.length)} jobs\n${formatJobTable(jobs)}\n`;
        process.stdout.write(tty ? `${CLEAR_SCREEN}${text}` : `${text}\n`);
      }
    };

    await new Promise<void>((resolve, reject) => {
      let shown = 0;
      let timer: NodeJS.Timeout | undefined;
      let offConnection: () => void = () => undefined;
      const stop = (): void => {
        clearInterval(timer);
        mirror.stop();
        offConnection();
        process.off('SIGINT', onInterrupt);
      };
      const onInterrupt = (): void => {
        stop();
        ctx.setExitCode(EXIT.ok);
        resolve();
      };
      offConnection = client.onConnection((state) => {
        if (state !== 'closed') return;
        queueMicrotask(stop);
        reject(
          new FerryError(
            'RPC_DISCONNECTED',
            'GENERAL_QUEUE_MANAGER',
            'Lost the connection to the Ferry server',
          ),
        );
      });
      process.on('SIGINT', onInterrupt);
      const tick = (): void => {
        draw();
        if (++shown >= count) {
          stop();
          resolve();
        }
      };
      void firstSnapshot.then(() => {
        tick();
        if (shown < count) timer = setInterval(tick, refresh);
      });
    });
  });
}

function byCreation(a: JobInfo, b: JobInfo): number {
  return a.times.creationTime - b.times.creationTime;
}
