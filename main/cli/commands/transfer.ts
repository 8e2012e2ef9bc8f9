import { existsSync, rmdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { JobDetails, JobId, JobInfo } from '../../../app/index.js';
import {
  FerryError,
  fromErrorShape,
  MAX_CONNECTIONS_PER_FILE,
  MAX_DISPLAY_NAME_LENGTH,
} from '../../../app/index.js';
import type { WebSocketClient } from '../../../app/ws-client.js';
import { parseCount, parsePriority } from '../args.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { jobLabel } from '../job-ref.js';
import { printable, printableMessage } from '../printable.js';
import { createProgressView } from '../progress.js';
import type { JsonOption } from './shared.js';
import { parseTrustCerts, withTrustCert } from '../trust-cert.js';
import { withJson } from './shared.js';

/** How often the job is read besides the pushed batches (a safety net, not the main feed). */
const POLL_MS = 1_000;

interface TransferOptions extends JsonOption {
  readonly dest?: string;
  readonly priority?: string;
  readonly name?: string;
  readonly connections?: string;
  readonly trustCert?: string[];
}

/**
 * `ferry transfer URL…`: bitsadmin /transfer and Start-BitsTransfer in one call. Plans the
 * names from the URLs, creates a job, adds the files (each named for good by its first
 * response: Content-Disposition, else the URL after redirects; sanitised, unique), resumes,
 * waits with a progress bar and completes.
 *
 * On ERROR it prints the job's error and exits 7, leaving the job for `ferry error` and
 * `ferry resume`. Ctrl+C suspends the job (bitsadmin /transfer cancels instead): the bytes
 * already fetched are kept and `ferry resume JOB` then `ferry complete JOB` finish it.
 */
export function registerTransferCommand(program: Command, ctx: CliContext): void {
  withJson(
    withTrustCert(
      program
        .command('transfer')
        .description('download URLs in one job: create, add, resume, wait, complete')
        .argument('<urls...>', 'one or more URLs')
        .option(
          '--dest <dir>',
          'folder to save into, created when missing (default: the downloadFolder setting, else the current directory)',
        )
        .option('--priority <priority>', 'FOREGROUND (default), HIGH, NORMAL or LOW')
        .option('--name <name>', 'display name of the job (default: the first file name)')
        .option('--connections <n>', 'connections per file (1-16; default: the engine setting)'),
    ),
  ).action(async (urls: string[], options: TransferOptions) => {
    const priority = parsePriority(options.priority ?? 'FOREGROUND');
    const connections =
      options.connections === undefined ? undefined : parseConnections(options.connections);
    const trustedCertificates = parseTrustCerts(options.trustCert);
    const client = await ctx.client();
    const folder = await destination(client, options.dest);
    // The server creates a missing --dest (the CLI and its server share the machine), so the
    // same checks refuse the data directory and device folders before anything is made.
    const missing = missingFolders(folder);
    const jobId = await createTransferJob().catch((error: unknown) => {
      // A refused command changes nothing: the --dest it made goes too.
      removeEmptyFolders(missing);
      throw error;
    });
    if (missing.length > 0 && existsSync(folder)) {
      ctx.note(`ferry: created folder ${printable(folder)}`);
    }

    async function createTransferJob(): Promise<JobId> {
      // No probe: each file's first response names it (nameFromServer), so the server is asked
      // once per file, over the connections the transfer keeps alive.
      const plan = await client.invoke('downloads.plan', {
        urls,
        folder,
        probe: false,
        createFolder: options.dest !== undefined,
      });
      const files = plan.map((entry) => {
        if (!entry.ok) throw fromErrorShape(entry.error);
        return {
          remoteUrl: entry.remoteUrl,
          localName: entry.localName,
          nameFromServer: entry.nameFromServer,
        };
      });
      const first = files[0]?.localName ?? 'download';
      const displayName = (
        options.name ??
        (files.length === 1
          ? basename(first)
          : `${basename(first)} and ${String(files.length - 1)} more`)
      ).slice(0, MAX_DISPLAY_NAME_LENGTH);

      const created = await client.invoke('job.create', { displayName, priority });
      const jobId = created.id;
      try {
        if (connections !== undefined || trustedCertificates.length > 0) {
          await client.invoke('job.setTransferPolicy', {
            jobId,
            ...(connections === undefined ? {} : { connectionsPerFile: connections }),
            ...(trustedCertificates.length === 0 ? {} : { trustedCertificates }),
          });
        }
        await client.invoke('job.addFileSet', { jobId, files });
      } catch (error) {
        // A refused file or setting leaves no empty job behind.
        await client.invoke('job.cancel', { jobId }).catch(() => undefined);
        await client.invoke('jobs.removeFromHistory', { jobId }).catch(() => undefined);
        throw error;
      }
      return jobId;
    }

    const job = await waitForTransfer(ctx, client, jobId);
    if (job === null) return;
    if (job.state === 'ERROR') {
      const error = job.error;
      ctx.note(
        `ferry: transfer failed: ${error === null ? 'the job is in ERROR' : `${printableMessage(error.message)} (${error.code})`}; ` +
          `job ${job.id} kept: see 'ferry error ${job.id}', then 'ferry resume ${job.id}'`,
      );
      ctx.setExitCode(EXIT.transferFailed);
      return;
    }
    const result = await client.invoke('job.complete', { jobId });
    if (options.json === true) {
      ctx.json(result.job);
      return;
    }
    for (const file of result.job.files)
      if (file.progress.completed) ctx.out(printable(file.localName));
  });
}

/** --connections: a whole number from 1 to MAX_CONNECTIONS_PER_FILE. */
function parseConnections(text: string): number {
  const count = parseCount(text, 'connection count');
  if (count < 1 || count > MAX_CONNECTIONS_PER_FILE) {
    throw new FerryError(
      'INPUT_INVALID',
      'GENERAL_QUEUE_MANAGER',
      `Invalid connection count '${text}': use 1 to ${String(MAX_CONNECTIONS_PER_FILE)}`,
    );
  }
  return count;
}

/** The folders `mkdir -p folder` would make, deepest first (none when it exists). */
function missingFolders(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  return missing;
}

/** Removes folders deepest first while they are empty; a folder holding anything stays. */
function removeEmptyFolders(folders: readonly string[]): void {
  for (const folder of folders) {
    try {
      rmdirSync(folder);
    } catch {
      return;
    }
  }
}

/** The folder to save into: --dest, else the downloadFolder setting, else the current one. */
async function destination(client: WebSocketClient, dest: string | undefined): Promise<string> {
  if (dest !== undefined) return resolve(dest);
  const settings = await client.invoke('settings.get', {});
  const folder = settings.app.downloadFolder;
  return folder === '' ? process.cwd() : resolve(folder);
}

/**
 * Resumes the job and follows it until TRANSFERRED or ERROR, with a progress view on stderr.
 * Returns null after Ctrl+C (the job is suspended and the exit code set).
 */
async function waitForTransfer(
  ctx: CliContext,
  client: WebSocketClient,
  jobId: JobId,
): Promise<JobDetails | null> {
  const view = createProgressView(process.stderr);
  let settle: ((job: JobDetails | null) => void) | null = null;
  let fail: ((error: unknown) => void) | null = null;
  const done = new Promise<JobDetails | null>((resolvePromise, rejectPromise) => {
    settle = resolvePromise;
    fail = rejectPromise;
  });
  let finished = false;
  const finish = (job: JobDetails | null): void => {
    if (finished) return;
    finished = true;
    settle?.(job);
  };
  const seen = (info: JobInfo): void => {
    if (finished) return;
    view.update(info);
    if (info.state === 'CANCELLED' || info.state === 'ACKNOWLEDGED') {
      // Another client ended the job: it can never reach TRANSFERRED, so stop waiting.
      finished = true;
      fail?.(
        new FerryError(
          'JOB_INVALID_STATE',
          'GENERAL_QUEUE_MANAGER',
          `Job ${jobLabel(info)} was ${info.state === 'CANCELLED' ? 'cancelled' : 'completed'} by another client before it transferred`,
        ),
      );
      return;
    }
    if (info.state === 'TRANSFERRED' || info.state === 'ERROR') {
      // The batch carries JobInfo; the caller needs the files, so read the whole job once.
      client.invoke('job.get', { jobId }).then(finish, (error: unknown) => fail?.(error));
    }
  };
  const poll = async (): Promise<void> => {
    if (!finished) seen(await client.invoke('job.get', { jobId }));
  };

  // Subscribe before resuming, so no change between the two is missed.
  const unsubscribe = client.on('jobsChanged', (batch) => {
    const info = batch.changed.find((job) => job.id === jobId);
    if (info !== undefined) seen(info);
  });
  const timer = setInterval(() => {
    poll().catch((error: unknown) => fail?.(error));
  }, POLL_MS);
  const onInterrupt = (): void => {
    if (finished) return;
    finished = true;
    view.stop();
    client.invoke('job.suspend', { jobId }).then(
      (job) => {
        ctx.note(
          `ferry: interrupted; job ${jobLabel(job)} suspended: 'ferry resume ${job.id}' continues it, ` +
            `'ferry cancel ${job.id}' drops it`,
        );
        ctx.setExitCode(EXIT.interrupted);
        settle?.(null);
      },
      (error: unknown) => fail?.(error),
    );
  };
  process.on('SIGINT', onInterrupt);
  try {
    await client.invoke('job.resume', { jobId });
    await poll();
    return await done;
  } finally {
    clearInterval(timer);
    unsubscribe();
    process.off('SIGINT', onInterrupt);
    view.stop();
  }
}
