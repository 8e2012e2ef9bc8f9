import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import {
  formatError,
  formatFileTable,
  formatJobInfo,
  formatJobTable,
  formatStateLog,
} from '../format.js';
import { jobLabel } from '../job-ref.js';
import type { JsonOption } from './shared.js';
import { openJob, report, withJson } from './shared.js';

/** Queries, as bitsadmin names them: /list, /info, /listfiles (files), /geterror (error). */
export function registerQueryCommands(program: Command, ctx: CliContext): void {
  withJson(
    program
      .command('list')
      .description('list your jobs (JSON: JobDetails[])')
      .option('--all', "every user's jobs (bitsadmin /allusers)")
      .option('--history', 'also jobs in history (ACKNOWLEDGED, CANCELLED)'),
  ).action(async (options: JsonOption & { all?: boolean; history?: boolean }) => {
    const client = await ctx.client();
    const jobs = await client.invoke('jobs.enum', {
      allUsers: options.all === true,
      includeHistory: options.history === true,
    });
    report(ctx, options, jobs, formatJobTable(jobs));
  });

  withJson(
    program
      .command('info')
      .description("show a job's properties (JSON: JobDetails)")
      .argument('<job>', 'job id or display name')
      .option('--verbose', 'every property and the file list'),
  ).action(async (ref: string, options: JsonOption & { verbose?: boolean }) => {
    const { client, jobId } = await openJob(ctx, ref);
    const job = await client.invoke('job.get', { jobId });
    const verbose = options.verbose === true;
    // The power/session state log, for people only (JSON stays JobDetails); a host that does
    // not know the command (an older one) simply has none to show.
    const log = verbose ? await client.invoke('job.stateLog', { jobId }).catch(() => []) : [];
    report(ctx, options, job, formatJobInfo(job, verbose) + formatStateLog(log));
  });

  withJson(
    program
      .command('files')
      .description("list a job's files (JSON: JobFileInfo[])")
      .argument('<job>', 'job id or display name'),
  ).action(async (ref: string, options: JsonOption) => {
    const { client, jobId } = await openJob(ctx, ref);
    const job = await client.invoke('job.get', { jobId });
    report(ctx, options, job.files, formatFileTable(job.files));
  });

  withJson(
    program
      .command('error')
      .description("show a job's current error (JSON: JobErrorInfo or null)")
      .argument('<job>', 'job id or display name')
      .option('--all', 'every error the job has had, oldest first (JSON: JobErrorInfo[])'),
  ).action(async (ref: string, options: JsonOption & { all?: boolean }) => {
    const { client, jobId } = await openJob(ctx, ref);
    const job = await client.invoke('job.get', { jobId });
    if (options.all === true) {
      const text =
        job.errors.length === 0
          ? `Job ${jobLabel(job)} has had no error.`
          : job.errors.map(formatError).join('\n');
      report(ctx, options, job.errors, text);
      return;
    }
    const text = job.error === null ? `Job ${jobLabel(job)} has no error.` : formatError(job.error);
    report(ctx, options, job.error, text);
  });

  withJson(
    program.command('history').description('list jobs in history (JSON: JobDetails[])'),
  ).action(async (options: JsonOption) => {
    const client = await ctx.client();
    const jobs = await client.invoke('jobs.history', {});
    report(ctx, options, jobs, formatJobTable(jobs));
  });

  withJson(program.command('clearhistory').description('forget every job in history')).action(
    async (options: JsonOption) => {
      const client = await ctx.client();
      const result = await client.invoke('jobs.clearHistory', {});
      report(ctx, options, result, `Removed ${String(result.removed)} jobs from history.`);
    },
  );
}
