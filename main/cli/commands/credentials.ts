import type { Command } from 'commander';
import { FerryError } from '../../../app/index.js';
import type { CliContext } from '../context.js';
import { jobLabel } from '../job-ref.js';
import { printable } from '../printable.js';
import { readPassword } from '../secret-input.js';
import type { JsonOption } from './shared.js';
import { openJob, report, withJson } from './shared.js';

interface TargetOptions {
  readonly target?: string;
  readonly scheme?: string;
}

/**
 * Credentials and validation, as bitsadmin names them: /setcredentials, /removecredentials,
 * /setvalidationstate, /getvalidationstate.
 */
export function registerCredentialCommands(program: Command, ctx: CliContext): void {
  withJson(
    program
      .command('setcreds')
      .alias('setcredentials')
      .description(
        "set the job's credentials for a server's 401 or a proxy's 407 challenge; the " +
          'password is read from stdin, an environment variable or a prompt, never the command line',
      )
      .argument('<job>', 'job id or display name')
      .requiredOption('--target <target>', 'server or proxy')
      .requiredOption('--scheme <scheme>', 'basic or digest')
      .requiredOption('--user <name>', 'user name')
      .option('--password-stdin', 'read the password from standard input')
      .option('--password-env <var>', 'read the password from this environment variable'),
  ).action(
    async (
      ref: string,
      options: JsonOption &
        TargetOptions & { user: string; passwordStdin?: boolean; passwordEnv?: string },
    ) => {
      const { target, scheme } = parseTargetScheme(options);
      const password = await readPassword({
        ...(options.passwordStdin === true ? { stdin: true } : {}),
        ...(options.passwordEnv === undefined ? {} : { env: options.passwordEnv }),
      });
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setCredentials', {
        jobId,
        target,
        scheme,
        userName: options.user,
        password,
      });
      report(
        ctx,
        options,
        job,
        `Job ${jobLabel(job)}: ${target} ${scheme} credentials set for user ${printable(options.user)}.`,
      );
    },
  );

  withJson(
    program
      .command('removecreds')
      .alias('removecredentials')
      .description("remove the job's credentials for a target and scheme")
      .argument('<job>', 'job id or display name')
      .requiredOption('--target <target>', 'server or proxy')
      .requiredOption('--scheme <scheme>', 'basic or digest'),
  ).action(async (ref: string, options: JsonOption & TargetOptions) => {
    const { target, scheme } = parseTargetScheme(options);
    const { client, jobId } = await openJob(ctx, ref);
    const job = await client.invoke('job.removeCredentials', { jobId, target, scheme });
    report(ctx, options, job, `Job ${jobLabel(job)}: ${target} ${scheme} credentials removed.`);
  });

  withJson(
    program
      .command('setvalidationstate')
      .description(
        "mark a transferred file's content valid (true) or not (false: the job goes to ERROR " +
          'and the file is downloaded again on resume)',
      )
      .argument('<job>', 'job id or display name')
      .argument('<file>', 'file index (0 for the first file)')
      .argument('<valid>', 'true or false'),
  ).action(async (ref: string, fileText: string, validText: string, options: JsonOption) => {
    const fileIndex = Number(fileText);
    if (!/^\d+$/.test(fileText) || !Number.isSafeInteger(fileIndex)) {
      throw inputError(`'${fileText}' is not a file index (0, 1, …)`);
    }
    if (validText !== 'true' && validText !== 'false') {
      throw inputError(`'${validText}' is not true or false`);
    }
    const valid = validText === 'true';
    const { client, jobId } = await openJob(ctx, ref);
    const job = await client.invoke('job.setValidationState', { jobId, fileIndex, valid });
    report(
      ctx,
      options,
      job,
      `Job ${jobLabel(job)}: file ${String(fileIndex)} marked ${valid ? 'valid' : 'invalid'}; job ${job.state}.`,
    );
  });

  withJson(
    program
      .command('getvalidationstate')
      .description("each file's expected digest and whether its content was validated")
      .argument('<job>', 'job id or display name'),
  ).action(async (ref: string, options: JsonOption) => {
    const { client, jobId } = await openJob(ctx, ref);
    const job = await client.invoke('job.get', { jobId });
    const rows = job.files.map((file) => ({ index: file.index, ...file.validation }));
    const lines = job.files.map((file) => {
      const v = file.validation;
      const digest =
        v.digest === null
          ? 'no digest'
          : `${v.digest.algorithm} ${v.digest.hex} (${v.digest.source})`;
      return `${String(file.index)}  ${v.valid ? 'valid' : 'not validated'}  ${v.outcome}  ${digest}  ${printable(file.localName)}`;
    });
    report(ctx, options, rows, lines.length === 0 ? 'The job has no files.' : lines.join('\n'));
  });
}

function parseTargetScheme(options: TargetOptions): {
  target: 'SERVER' | 'PROXY';
  scheme: 'BASIC' | 'DIGEST';
} {
  const target = (options.target ?? '').toUpperCase();
  const scheme = (options.scheme ?? '').toUpperCase();
  if (target !== 'SERVER' && target !== 'PROXY') {
    throw inputError(`--target must be server or proxy, not '${options.target ?? ''}'`);
  }
  if (scheme !== 'BASIC' && scheme !== 'DIGEST') {
    throw inputError(
      `--scheme must be basic or digest, not '${options.scheme ?? ''}' (Ferry does not speak NTLM, Negotiate or Passport)`,
    );
  }
  return { target, scheme };
}

function inputError(message: string): FerryError {
  return new FerryError('INPUT_INVALID', 'GENERAL_QUEUE_MANAGER', message);
}
