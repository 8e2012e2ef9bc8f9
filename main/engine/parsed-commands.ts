import type { CommandName, ParsedInput } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import type { CancelResult, CompleteResult, JobManager } from './job-manager.js';
import { checkNotifyProgram } from './notify-program.js';
import { removeCredential, replaceCredential } from '../../app/model/credentials.js';

/** The contract's commands on one job that the host answers with more than the job itself. */
type JobResultCommand = 'job.complete' | 'job.cancel' | 'job.replaceRemotePrefix';

/**
 * The contract's commands on one existing job that the engine carries out as one BITS method;
 * the host answers each with the job as it is afterwards. Derived from the command table, so a
 * new `job.*` command does not compile until the engine has it.
 */
export type JobMethodCommand = Exclude<
  Extract<CommandName, `job.${string}`>,
  // Not a method of an existing job: creation, reads, and the caller's own notify interface
  // (kept on the client's link by the host, not by the engine).
  | 'job.create'
  | 'job.get'
  | 'job.stateLog'
  | 'job.getReplyData'
  | 'job.setNotifyInterface'
  | JobResultCommand
>;

/**
 * Every job method, on input the contract's schema has parsed: nothing here validates the
 * shape of an input again. What is checked is what only the engine can judge (the job's state,
 * its files, the notify program on disk, local names against other jobs).
 */
export type ParsedJobCommands = {
  readonly [K in JobMethodCommand]: (input: ParsedInput<K>) => Promise<void>;
} & {
  readonly 'job.complete': (input: ParsedInput<'job.complete'>) => Promise<CompleteResult>;
  readonly 'job.cancel': (input: ParsedInput<'job.cancel'>) => Promise<CancelResult>;
  /** Resolves to how many remote names were replaced. */
  readonly 'job.replaceRemotePrefix': (
    input: ParsedInput<'job.replaceRemotePrefix'>,
  ) => Promise<number>;
};

/** Builds the job methods over the manager; `user` is who TakeOwnership hands a job to. */
export function createParsedJobCommands(manager: JobManager, user: string): ParsedJobCommands {
  return {
    'job.addFile': ({ jobId, remoteUrl, localName, digest, checksumUrl }) =>
      manager.addFiles(jobId, [{ remoteUrl, localName, digest, checksumUrl }]),
    'job.addFileSet': ({ jobId, files }) => manager.addFiles(jobId, files),
    'job.resume': ({ jobId }) => manager.resume(jobId),
    'job.suspend': ({ jobId }) => manager.suspend(jobId),
    'job.complete': ({ jobId }) => manager.complete(jobId),
    'job.cancel': ({ jobId }) => manager.cancel(jobId),
    'job.takeOwnership': ({ jobId }) =>
      manager.setProperty(
        jobId,
        (job) => {
          job.owner = user;
        },
        { method: 'takeOwnership' },
      ),
    'job.setDisplayName': ({ jobId, displayName }) =>
      manager.setProperty(jobId, (job) => {
        job.displayName = displayName;
      }),
    'job.setDescription': ({ jobId, description }) =>
      manager.setProperty(jobId, (job) => {
        job.description = description;
      }),
    'job.setPriority': ({ jobId, priority }) =>
      manager.setProperty(
        jobId,
        (job) => {
          job.priority = priority;
        },
        { replan: true },
      ),
    'job.setMinimumRetryDelay': ({ jobId, seconds }) =>
      manager.setMinimumRetryDelay(jobId, seconds),
    'job.setNoProgressTimeout': ({ jobId, seconds }) =>
      manager.setNoProgressTimeout(jobId, seconds),
    'job.setMaximumDownloadTime': ({ jobId, seconds }) =>
      manager.setMaximumDownloadTime(jobId, seconds),
    'job.setNotifyFlags': ({ jobId, flags }) =>
      manager.setProperty(jobId, (job) => {
        job.notifyFlags = flags;
      }),
    'job.setNotifyCmdLine': async ({ jobId, cmdLine }) => {
      checkNotifyProgram(cmdLine);
      await manager.setProperty(jobId, (job) => {
        job.notifyCmdLine = cmdLine;
      });
    },
    'job.setProxySettings': ({ jobId, proxy }) =>
      manager.setProperty(jobId, (job) => {
        job.proxy = proxy;
      }),
    'job.setCustomHeaders': ({ jobId, headers }) =>
      manager.setProperty(jobId, (job) => {
        job.customHeaders = headers;
      }),
    // Fields left out keep their value; a running job applies the change to its open transfer.
    'job.setTransferPolicy': ({
      jobId,
      connectionsPerFile,
      speedLimit,
      completeWhenTransferred,
      trustedCertificates,
    }) =>
      manager.setProperty(
        jobId,
        (job) => {
          const policy = job.transferPolicy;
          job.transferPolicy = {
            connectionsPerFile:
              connectionsPerFile === undefined ? policy.connectionsPerFile : connectionsPerFile,
            speedLimit: speedLimit ?? policy.speedLimit,
            completeWhenTransferred: completeWhenTransferred ?? policy.completeWhenTransferred,
            // Read by each new connection of the job (see transfer/http/connector.ts).
            trustedCertificates: trustedCertificates ?? policy.trustedCertificates,
          };
        },
        { replan: false },
      ),
    'job.setRemoteName': async ({ jobId, fileIndex, remoteUrl }) => {
      await manager.setRemoteNames(jobId, 'setRemoteName', (job) => {
        if (job.files[fileIndex] === undefined) {
          throw new FerryError(
            'INPUT_FILE_INDEX',
            'GENERAL_QUEUE_MANAGER',
            `Job '${job.displayName}' has no file ${fileIndex} (it has ${job.files.length})`,
          );
        }
        return new Map([[fileIndex, remoteUrl]]);
      });
    },
    // Credentials replace the set of the same target and scheme; a running job answers its
    // next challenge with them.
    'job.setCredentials': ({ jobId, target, scheme, userName, password }) =>
      manager.setProperty(jobId, (job) => {
        job.credentials = replaceCredential(job.credentials, {
          target,
          scheme,
          userName,
          password,
        });
      }),
    'job.removeCredentials': ({ jobId, target, scheme }) =>
      manager.setProperty(jobId, (job) => {
        job.credentials = removeCredential(job.credentials, target, scheme);
      }),
    'job.setValidationState': ({ jobId, fileIndex, valid }) =>
      manager.setValidationState(jobId, fileIndex, valid),
    'job.setReplyFileName': ({ jobId, replyFileName }) =>
      manager.setReplyFileName(jobId, replyFileName),
    'job.replaceRemotePrefix': ({ jobId, oldPrefix, newPrefix }) =>
      manager.setRemoteNames(jobId, 'replaceRemotePrefix', (job) => {
        const changes = new Map<number, string>();
        for (const file of job.files) {
          if (file.remoteName.startsWith(oldPrefix)) {
            changes.set(file.index, newPrefix + file.remoteName.slice(oldPrefix.length));
          }
        }
        return changes;
      }),
  };
}
