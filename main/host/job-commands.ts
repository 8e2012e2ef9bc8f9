import type { CommandName, JobDetails, JobId } from '../../app/index.js';
import type { Engine } from '../engine/index.js';
import type { CommandHandlers } from './command-table.js';
import { toJobDetails } from './job-details.js';
import type { CallerCommandName } from './notify-commands.js';
import {
  restoreMaskedHeaders,
  restoreMaskedProxy,
  restoreMaskedUrl,
} from '../../app/secret-mask.js';

/**
 * Handlers of the `job.*` commands: each is one BITS method on one job.
 *
 * Inputs arrive parsed by the contract's schema and go to the engine's parsed commands as they
 * are; the engine checks the job's state and changes nothing when it refuses, so a rejected
 * command leaves the job as it was.
 */
export function jobCommands(
  engine: Engine,
): CommandHandlers<Exclude<Extract<CommandName, `job.${string}`>, CallerCommandName>> {
  const { parsed } = engine;
  const { jobs } = parsed;
  const details = (jobId: JobId): JobDetails => toJobDetails(parsed.job(jobId));
  /** Waits for a method on a job, then reports the job. */
  const after = async (input: { jobId: JobId }, method: Promise<unknown>) => {
    await method;
    return details(input.jobId);
  };

  return {
    'job.create': (i) => Promise.resolve(toJobDetails(parsed.create(i))),
    'job.get': (i) => Promise.resolve(details(i.jobId)),
    'job.stateLog': (i) => Promise.resolve(parsed.stateLog(i.jobId)),
    'job.addFile': (i) => after(i, jobs['job.addFile'](i)),
    'job.addFileSet': (i) => after(i, jobs['job.addFileSet'](i)),
    'job.resume': (i) => after(i, jobs['job.resume'](i)),
    'job.suspend': (i) => after(i, jobs['job.suspend'](i)),
    'job.takeOwnership': (i) => after(i, jobs['job.takeOwnership'](i)),
    'job.setDisplayName': (i) => after(i, jobs['job.setDisplayName'](i)),
    'job.setDescription': (i) => after(i, jobs['job.setDescription'](i)),
    'job.setPriority': (i) => after(i, jobs['job.setPriority'](i)),
    'job.setMinimumRetryDelay': (i) => after(i, jobs['job.setMinimumRetryDelay'](i)),
    'job.setNoProgressTimeout': (i) => after(i, jobs['job.setNoProgressTimeout'](i)),
    'job.setMaximumDownloadTime': (i) => after(i, jobs['job.setMaximumDownloadTime'](i)),
    'job.setNotifyFlags': (i) => after(i, jobs['job.setNotifyFlags'](i)),
    // A client writes back what it was shown: masked secrets stand for the job's real values.
    'job.setProxySettings': (i) => {
      const current = parsed.job(i.jobId).info().proxy;
      return after(
        i,
        jobs['job.setProxySettings']({ ...i, proxy: restoreMaskedProxy(i.proxy, current) }),
      );
    },
    'job.setCustomHeaders': (i) => {
      const current = parsed.job(i.jobId).info().customHeaders;
      return after(
        i,
        jobs['job.setCustomHeaders']({ ...i, headers: restoreMaskedHeaders(i.headers, current) }),
      );
    },
    'job.setTransferPolicy': (i) => after(i, jobs['job.setTransferPolicy'](i)),
    'job.setRemoteName': (i) => {
      const current = parsed.job(i.jobId).enumFiles()[i.fileIndex]?.remoteName ?? '';
      return after(
        i,
        jobs['job.setRemoteName']({ ...i, remoteUrl: restoreMaskedUrl(i.remoteUrl, current) }),
      );
    },
    'job.setCredentials': (i) => after(i, jobs['job.setCredentials'](i)),
    'job.removeCredentials': (i) => after(i, jobs['job.removeCredentials'](i)),
    'job.setValidationState': (i) => after(i, jobs['job.setValidationState'](i)),
    'job.setReplyFileName': (i) => after(i, jobs['job.setReplyFileName'](i)),
    'job.getReplyData': async (i) => {
      const data = await parsed.job(i.jobId).getReplyData();
      return { base64: data.toString('base64'), bytes: data.length };
    },
    'job.complete': async (i) => ({ ...(await jobs['job.complete'](i)), job: details(i.jobId) }),
    'job.cancel': async (i) => ({ ...(await jobs['job.cancel'](i)), job: details(i.jobId) }),
    'job.replaceRemotePrefix': async (i) => {
      const replaced = await jobs['job.replaceRemotePrefix'](i);
      return { job: details(i.jobId), replaced };
    },
  };
}
