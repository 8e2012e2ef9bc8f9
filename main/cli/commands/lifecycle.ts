import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FerryError } from '../../../app/index.js';
import { parseFlavour, parsePriority } from '../args.js';
import type { CliContext } from '../context.js';
import { printable } from '../printable.js';
import { jobLabel } from '../job-ref.js';
import type { JsonOption } from './shared.js';
import { openJob, report, withJson } from './shared.js';
import { parseTrustCerts, withTrustCert } from '../trust-cert.js';

/**
 * The job life cycle, as bitsadmin names it: /create, /addfile, /addfileset, /resume,
 * /suspend, /complete, /cancel, /takeownership.
 */
export function registerLifecycleCommands(program: Command, ctx: CliContext): void {
  withJson(
    withTrustCert(
      program
        .command('create')
        .description('create a job (SUSPENDED, a download unless told) and print its id')
        .argument('<name>', 'display name')
        .option('--display-name <name>', 'display name (instead of the argument)')
        .option('--description <text>', 'description')
        .option('--priority <priority>', 'FOREGROUND, HIGH, NORMAL (default) or LOW')
        .option(
          '--flavour <flavour>',
          'BITS (default) or DO: Delivery Optimization’s rules (no CONNECTING, retries on Ferry’s back-off)',
        )
        .option('--upload', 'an upload job: sends one file to a BITS upload server')
        .option(
          '--upload-reply',
          'an upload-reply job: an upload, then the server reply is fetched',
        ),
    ),
  ).action(
    async (
      name: string,
      options: JsonOption & {
        trustCert?: string[];
        displayName?: string;
        description?: string;
        priority?: string;
        flavour?: string;
        upload?: boolean;
        uploadReply?: boolean;
      },
    ) => {
      const priority = options.priority === undefined ? undefined : parsePriority(options.priority);
      const flavour = options.flavour === undefined ? undefined : parseFlavour(options.flavour);
      if (options.upload === true && options.uploadReply === true) {
        throw new FerryError(
          'INPUT_INVALID',
          'GENERAL_QUEUE_MANAGER',
          'Choose one of --upload and --upload-reply',
        );
      }
      const type =
        options.uploadReply === true ? 'UPLOAD_REPLY' : options.upload === true ? 'UPLOAD' : null;
      const trustedCertificates = parseTrustCerts(options.trustCert);
      const client = await ctx.client();
      const job = await client.invoke('job.create', {
        displayName: options.displayName ?? name,
        ...(options.description === undefined ? {} : { description: options.description }),
        ...(priority === undefined ? {} : { priority }),
        ...(flavour === undefined ? {} : { flavour }),
        ...(type === null ? {} : { type }),
      });
      if (trustedCertificates.length === 0) {
        report(ctx, options, job, job.id);
        return;
      }
      const trusting = await client.invoke('job.setTransferPolicy', {
        jobId: job.id,
        trustedCertificates,
      });
      report(ctx, options, trusting, job.id);
    },
  );

  withJson(
    program
      .command('addfile')
      .description(
        'add a file to a job: URL saved as LOCAL (relative to the current directory); for an ' +
          'upload job, LOCAL is sent to the upload URL (one file per upload job)',
      )
      .argument('<job>', 'job id or display name')
      .argument('<url>', 'remote URL (http, https or file; http or https for uploads)')
      .argument('<local>', 'local file name')
      .option('--sha256 <hex>', 'the SHA-256 its content must have (checked before Complete)')
      .option(
        '--digest <algorithm:hex>',
        'the digest its content must have: sha256:…, sha512:…, sha1:… or md5:…',
      )
      .option(
        '--checksum-url <url>',
        'read the digest from this checksum file (a .sha256 file, SHA256SUMS) before the transfer',
      )
      .option('--checksum-beside', 'read the digest from URL.sha256, the checksum file beside it'),
  ).action(
    async (
      ref: string,
      url: string,
      local: string,
      options: JsonOption & {
        sha256?: string;
        digest?: string;
        checksumUrl?: string;
        checksumBeside?: boolean;
      },
    ) => {
      const given = [
        options.sha256,
        options.digest,
        options.checksumUrl,
        options.checksumBeside,
      ].filter((o) => o !== undefined);
      if (given.length > 1) {
        throw new FerryError(
          'INPUT_INVALID',
          'GENERAL_QUEUE_MANAGER',
          'Give one of --sha256, --digest, --checksum-url and --checksum-beside',
        );
      }
      const digest = options.sha256 === undefined ? options.digest : `sha256:${options.sha256}`;
      const checksumUrl = options.checksumBeside === true ? besideUrl(url) : options.checksumUrl;
      const { client, jobId } = await openJob(ctx, ref);
      const localName = resolve(local);
      const job = await client.invoke('job.addFile', {
        jobId,
        remoteUrl: url,
        localName,
        ...(digest === undefined ? {} : { digest }),
        ...(checksumUrl === undefined ? {} : { checksumUrl }),
      });
      // The URL as the job keeps it: a user:password@ in it became the job's credentials.
      const added = job.files.at(-1)?.remoteName ?? url;
      report(
        ctx,
        options,
        job,
        `Added ${printable(added)} as ${printable(localName)} to job ${jobLabel(job)}.`,
      );
    },
  );

  withJson(
    program
      .command('addfileset')
      .description("add every file of a list: one 'URL LOCAL' per line (# comments); all or none")
      .argument('<job>', 'job id or display name')
      .argument('<listfile>', 'the list file'),
  ).action(async (ref: string, listFile: string, options: JsonOption) => {
    const files = parseFileList(await readList(listFile), listFile);
    const { client, jobId } = await openJob(ctx, ref);
    const job = await client.invoke('job.addFileSet', { jobId, files });
    report(ctx, options, job, `Added ${String(files.length)} files to job ${jobLabel(job)}.`);
  });

  for (const [name, method, verb, description] of [
    ['resume', 'job.resume', 'resumed', 'start or restart transferring a job'],
    ['suspend', 'job.suspend', 'suspended', 'pause a job (its bytes are kept)'],
    ['takeownership', 'job.takeOwnership', 'taken over', "make the job yours (another user's job)"],
  ] as const) {
    withJson(
      program.command(name).description(description).argument('<job>', 'job id or display name'),
    ).action(async (ref: string, options: JsonOption) => {
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke(method, { jobId });
      report(ctx, options, job, `Job ${jobLabel(job)} ${verb}: ${job.state}.`);
    });
  }

  withJson(
    program
      .command('complete')
      .description('complete a job: its transferred files appear at their final names')
      .argument('<job>', 'job id or display name'),
  ).action(async (ref: string, options: JsonOption) => {
    const { client, jobId } = await openJob(ctx, ref);
    const result = await client.invoke('job.complete', { jobId });
    const saved = result.job.files
      .filter((f) => f.progress.completed)
      .map((f) => printable(f.localName));
    const lines = [`Job ${jobLabel(result.job)} completed: ${result.job.state}.`, ...saved];
    if (result.partial) lines.push('Some files had not transferred and were dropped.');
    if (result.unableToDeleteFiles) lines.push('Some temporary files could not be deleted.');
    report(ctx, options, result, lines.join('\n'));
  });

  withJson(
    program
      .command('cancel')
      .description('cancel a job and delete its temporary files')
      .argument('<job>', 'job id or display name'),
  ).action(async (ref: string, options: JsonOption) => {
    const { client, jobId } = await openJob(ctx, ref);
    const result = await client.invoke('job.cancel', { jobId });
    const lines = [`Job ${jobLabel(result.job)} cancelled.`];
    if (result.unableToDeleteFiles) lines.push('Some temporary files could not be deleted.');
    report(ctx, options, result, lines.join('\n'));
  });
}

async function readList(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new FerryError(
      'INPUT_INVALID',
      'LOCAL_FILE',
      `Cannot read the list file ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Parses a bitsadmin /addfileset list: one `URL LOCAL` pair per line. LOCAL is the rest of the
 * line, so it may contain spaces; blank lines and `#` comments are skipped.
 */
export function parseFileList(
  text: string,
  listFile: string,
): { remoteUrl: string; localName: string }[] {
  const files: { remoteUrl: string; localName: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(\S+)\s+(.+)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new FerryError(
        'INPUT_INVALID',
        'LOCAL_FILE',
        `${listFile}:${String(index + 1)}: expected 'URL LOCAL', got '${line}'`,
      );
    }
    files.push({ remoteUrl: match[1], localName: resolve(match[2]) });
  });
  if (files.length === 0) {
    throw new FerryError('INPUT_INVALID', 'LOCAL_FILE', `${listFile} lists no files`);
  }
  return files;
}

/** The `.sha256` beside a download: its URL, without userinfo, query or fragment, plus `.sha256`. */
function besideUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FerryError('INPUT_INVALID_URL', 'GENERAL_QUEUE_MANAGER', `Not a URL: ${url}`);
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return `${parsed.href}.sha256`;
}
