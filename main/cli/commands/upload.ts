import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { JobDetails, JobReplyInfo } from '../../../app/index.js';
import { FerryError, jobTypeWithArticle } from '../../../app/index.js';
import type { CliContext } from '../context.js';
import { jobLabel } from '../job-ref.js';
import { printable } from '../printable.js';
import type { JsonOption } from './shared.js';
import { openJob, report, withJson } from './shared.js';

/**
 * Upload-reply jobs' reply, as bitsadmin names it (/setreplyfilename, /getreplyfilename,
 * /getreplyprogress, /getreplydata), and `ferry upload-server`, a BITS upload server for
 * upload jobs to send to (docs/upload-protocol.md).
 */
export function registerUploadCommands(
  program: Command,
  ctx: CliContext,
  globals: () => { port: number | undefined },
): void {
  withJson(
    program
      .command('setreplyfilename')
      .description('set where an upload-reply job puts the reply on Complete')
      .argument('<job>', 'job id or display name')
      .argument('<file>', 'reply file name (relative to the current directory)'),
  ).action(async (ref: string, file: string, options: JsonOption) => {
    const { client, jobId } = await openJob(ctx, ref);
    const replyFileName = resolve(file);
    const job = await client.invoke('job.setReplyFileName', { jobId, replyFileName });
    report(
      ctx,
      options,
      job,
      `Job ${jobLabel(job)}: reply file set to ${printable(replyFileName)}.`,
    );
  });

  for (const [name, description, text] of [
    ['getreplyfilename', "print an upload-reply job's reply file name", replyFileText],
    [
      'getreplyprogress',
      "print how much of an upload-reply job's reply arrived",
      replyProgressText,
    ],
  ] as const) {
    withJson(
      program
        .command(name)
        .description(`${description} (JSON: JobReplyInfo)`)
        .argument('<job>', 'job id or display name'),
    ).action(async (ref: string, options: JsonOption) => {
      const { client, jobId } = await openJob(ctx, ref);
      const reply = replyOf(await client.invoke('job.get', { jobId }));
      report(ctx, options, reply, text(reply));
    });
  }

  withJson(
    program
      .command('getreplydata')
      .description("print an upload-reply job's reply once it arrived (at most 1 MiB)")
      .argument('<job>', 'job id or display name')
      .option('--out <file>', 'write the reply to this file instead of stdout'),
  ).action(async (ref: string, options: JsonOption & { out?: string }) => {
    const { client, jobId } = await openJob(ctx, ref);
    const data = await client.invoke('job.getReplyData', { jobId });
    const bytes = Buffer.from(data.base64, 'base64');
    if (options.out !== undefined) {
      const path = resolve(options.out);
      await writeFile(path, bytes);
      report(ctx, options, data, `Wrote ${String(bytes.length)} bytes to ${printable(path)}.`);
    } else if (options.json === true) {
      ctx.json(data);
    } else {
      process.stdout.write(bytes);
    }
  });

  program
    .command('upload-server')
    .description(
      'run a BITS upload server in the foreground: upload jobs send files to it, stored in DIR ' +
        '(the global --port picks its port; default: a free one)',
    )
    .requiredOption('--dir <dir>', 'where finished uploads are stored (created if missing)')
    .option(
      '--host <address>',
      'address to listen on (keep it private unless --auth-file is given)',
      '127.0.0.1',
    )
    .option('--replies', 'answer each finished upload with a reply (for upload-reply jobs)')
    .option(
      '--auth-file <file>',
      'ask every request for HTTP Basic credentials: the file holds one line USER:PASSWORD',
    )
    .action(
      async (options: { dir: string; host: string; replies?: boolean; authFile?: string }) => {
        const { startUploadServer } = await import('../../server/upload/upload-server.js');
        const { mkdir } = await import('node:fs/promises');
        const basicAuth =
          options.authFile === undefined ? undefined : await readAuthFile(options.authFile);
        const dir = resolve(options.dir);
        await mkdir(dir, { recursive: true });
        const server = await startUploadServer({
          dir,
          host: options.host,
          port: globals().port ?? 0,
          replies: options.replies === true,
          ...(basicAuth === undefined ? {} : { basicAuth }),
        });
        ctx.out(`Ferry upload server: storing uploads in ${printable(dir)}, at ${server.url}`);
        await new Promise<void>((done) => {
          const stop = (): void => {
            void server.close().then(done);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      },
    );
}

/**
 * The upload server's Basic credentials from a file (a password on the command line would
 * show in `ps`): one line `USER:PASSWORD`, the user without a colon.
 */
async function readAuthFile(path: string): Promise<{ user: string; password: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FerryError(
      'INPUT_INVALID',
      'GENERAL_QUEUE_MANAGER',
      `Cannot read the --auth-file ${printable(path)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  const colon = line.indexOf(':');
  if (colon <= 0 || colon === line.length - 1) {
    throw new FerryError(
      'INPUT_INVALID',
      'GENERAL_QUEUE_MANAGER',
      `The --auth-file ${printable(path)} must hold one line USER:PASSWORD`,
    );
  }
  return { user: line.slice(0, colon), password: line.slice(colon + 1) };
}

/** The reply of an upload-reply job, or a usage error naming the job's type. */
function replyOf(job: JobDetails): JobReplyInfo {
  if (job.reply === undefined) {
    throw new FerryError(
      'INPUT_WRONG_JOB_TYPE',
      'GENERAL_QUEUE_MANAGER',
      `Job ${jobLabel(job)} is ${jobTypeWithArticle(job.type)} job: only UPLOAD_REPLY jobs have a reply`,
    );
  }
  return job.reply;
}

function replyFileText(reply: JobReplyInfo): string {
  return reply.fileName === null ? '(none yet)' : printable(reply.fileName);
}

function replyProgressText(reply: JobReplyInfo): string {
  const { bytesTotal, bytesTransferred } = reply.progress;
  return `${String(bytesTransferred)} of ${bytesTotal === null ? 'unknown' : String(bytesTotal)} bytes${reply.completed ? ' (completed)' : ''}`;
}
