import type { Command } from 'commander';
import type { JobDetails } from '../../../app/index.js';
import {
  parseCount,
  parseNotifyFlags,
  parsePriority,
  parseProxyUsage,
  splitList,
} from '../args.js';
import { maskUrl } from '../../../app/secret-mask.js';
import type { CliContext } from '../context.js';
import { jobLabel } from '../job-ref.js';
import type { JsonOption } from './shared.js';
import { openJob, report, withJson } from './shared.js';
import { parseTrustCerts } from '../trust-cert.js';

/**
 * Property setters, as bitsadmin names them (/setpriority, /setminretrydelay, …). Each prints
 * the job after the change (JSON: JobDetails).
 */
export function registerPropertyCommands(program: Command, ctx: CliContext): void {
  const setter = (name: string, description: string): Command =>
    withJson(
      program.command(name).description(description).argument('<job>', 'job id or display name'),
    );
  const done = (options: JsonOption, job: JobDetails, what: string): void => {
    report(ctx, options, job, `Job ${jobLabel(job)}: ${what}.`);
  };

  setter('setpriority', 'set the priority')
    .argument('<priority>', 'FOREGROUND, HIGH, NORMAL or LOW')
    .action(async (ref: string, text: string, options: JsonOption) => {
      const priority = parsePriority(text);
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setPriority', { jobId, priority });
      done(options, job, `priority set to ${job.priority}`);
    });

  setter('setminretrydelay', 'set the minimum delay before retrying a transient error')
    .argument('<seconds>', 'seconds')
    .action(async (ref: string, text: string, options: JsonOption) => {
      const seconds = parseCount(text, 'number of seconds');
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setMinimumRetryDelay', { jobId, seconds });
      done(options, job, `minimum retry delay set to ${String(job.minimumRetryDelay)} s`);
    });

  setter('setnoprogresstimeout', 'set how long transient errors may last before ERROR')
    .argument('<seconds>', 'seconds (0: every error is final at once)')
    .action(async (ref: string, text: string, options: JsonOption) => {
      const seconds = parseCount(text, 'number of seconds');
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setNoProgressTimeout', { jobId, seconds });
      done(options, job, `no-progress timeout set to ${String(job.noProgressTimeout)} s`);
    });

  setter(
    'setmaxdownloadtime',
    'set the most time the job may spend connecting and transferring before ERROR',
  )
    .argument('<seconds>', 'seconds (0: no limit; default 7776000, 90 days)')
    .action(async (ref: string, text: string, options: JsonOption) => {
      const seconds = parseCount(text, 'number of seconds');
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setMaximumDownloadTime', { jobId, seconds });
      done(
        options,
        job,
        job.maximumDownloadTime === 0
          ? 'maximum download time removed'
          : `maximum download time set to ${String(job.maximumDownloadTime)} s`,
      );
    });

  setter('setnotifyflags', 'set the notify flags')
    .argument(
      '<flags>',
      'a number (1 transferred, 2 error, 4 disable, 8 modification, 16 file) or names joined by |',
    )
    .action(async (ref: string, text: string, options: JsonOption) => {
      const flags = parseNotifyFlags(text);
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setNotifyFlags', { jobId, flags });
      done(options, job, `notify flags set to 0x${job.notifyFlags.toString(16)}`);
    });

  setter('setnotifycmdline', 'set the program run on TRANSFERRED or ERROR (NULL clears it)')
    .argument('<program>', 'absolute path of the program, or NULL')
    .argument(
      '[args...]',
      "its arguments, passed without a shell (its options too: '/bin/sh -c …')",
    )
    // The program's options (`-c`) are its arguments, not unknown options of ferry's; one that
    // is also ferry's (`--json`) goes after `--`.
    .allowUnknownOption()
    .action(async (ref: string, program: string, args: string[], options: JsonOption) => {
      const cmdLine = program === 'NULL' ? null : { program, args };
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setNotifyCmdLine', { jobId, cmdLine });
      done(
        options,
        job,
        cmdLine === null ? 'notify command line cleared' : 'notify command line set',
      );
    });

  setter('setproxysettings', 'set the proxy usage (and lists with OVERRIDE)')
    .argument('<usage>', 'PRECONFIG, NO_PROXY, OVERRIDE or AUTODETECT')
    .argument('[proxies]', 'with OVERRIDE: proxies, comma-separated (host:port)')
    .argument('[bypass]', 'with OVERRIDE: hosts to reach directly, comma-separated')
    .action(
      async (
        ref: string,
        usageText: string,
        proxies: string | undefined,
        bypass: string | undefined,
        options: JsonOption,
      ) => {
        const usage = parseProxyUsage(usageText);
        const { client, jobId } = await openJob(ctx, ref);
        const job = await client.invoke('job.setProxySettings', {
          jobId,
          proxy: { usage, proxyList: splitList(proxies), bypassList: splitList(bypass) },
        });
        done(options, job, `proxy usage set to ${job.proxy.usage}`);
      },
    );

  setter(
    'settrustedcerts',
    'trust these server certificates for the job by SHA-256 fingerprint (none: trust none)',
  )
    .argument('[fingerprints...]', 'sha256:… as a TLS error names it (colons allowed)')
    .action(async (ref: string, fingerprints: string[], options: JsonOption) => {
      const trustedCertificates = parseTrustCerts(fingerprints);
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setTransferPolicy', { jobId, trustedCertificates });
      done(
        options,
        job,
        trustedCertificates.length === 0
          ? 'no certificate trusted by fingerprint'
          : `trusts ${String(trustedCertificates.length)} certificate(s) by fingerprint`,
      );
    });

  setter('setremotename', "replace one file's remote URL")
    .argument('<fileindex>', 'file index, from 0 (see ferry files)')
    .argument('<url>', 'the new URL')
    .action(async (ref: string, indexText: string, url: string, options: JsonOption) => {
      const fileIndex = parseCount(indexText, 'file index');
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setRemoteName', { jobId, fileIndex, remoteUrl: url });
      done(options, job, `file ${String(fileIndex)} now comes from ${maskUrl(url)}`);
    });

  withJson(
    program
      .command('replaceremoteprefix')
      .description('replace the start of every remote URL that begins with OLD by NEW')
      .argument('<job>', 'job id or display name')
      .argument('<old>', 'old prefix')
      .argument('<new>', 'new prefix'),
  ).action(async (ref: string, oldPrefix: string, newPrefix: string, options: JsonOption) => {
    const { client, jobId } = await openJob(ctx, ref);
    const result = await client.invoke('job.replaceRemotePrefix', { jobId, oldPrefix, newPrefix });
    report(
      ctx,
      options,
      result,
      `Job ${jobLabel(result.job)}: replaced the prefix of ${String(result.replaced)} remote names.`,
    );
  });

  setter('setdisplayname', 'set the display name')
    .argument('<name>', 'the new name')
    .action(async (ref: string, displayName: string, options: JsonOption) => {
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setDisplayName', { jobId, displayName });
      done(options, job, 'display name set');
    });

  setter('setdescription', 'set the description')
    .argument('<text>', 'the new description')
    .action(async (ref: string, description: string, options: JsonOption) => {
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setDescription', { jobId, description });
      done(options, job, 'description set');
    });

  setter('setcustomheaders', "set the job's extra HTTP headers (none clears them)")
    .argument('[headers...]', "'Name: value' lines")
    .action(async (ref: string, headers: string[], options: JsonOption) => {
      const { client, jobId } = await openJob(ctx, ref);
      const job = await client.invoke('job.setCustomHeaders', { jobId, headers });
      done(options, job, `${String(job.customHeaders.length)} custom headers set`);
    });
}
