import type { CommandName, CommandOutput, ParsedInput } from '../../app/index.js';
import type { Engine } from '../engine/index.js';
import { toJobDetails } from './job-details.js';
import type { CallerCommandName } from './notify-commands.js';

/** A handler per command of a group: parsed input in, typed result out. */
export type CommandHandlers<C extends CommandName> = {
  readonly [K in C]: (input: ParsedInput<K>) => Promise<CommandOutput<K>>;
};

/**
 * Handlers of the `job.*` commands: each is one BITS method on one job.
 *
 * Inputs arrive parsed by the contract's schema; the engine validates again and changes
 * nothing when it refuses, so a rejected command leaves the job as it was.
 */
export function jobCommands(
  engine: Engine,
): CommandHandlers<Exclude<Extract<CommandName, `job.${string}`>, CallerCommandName>> {
  const details = (jobId: string) => toJobDetails(engine.getJob(jobId));
  const job = (input: { jobId: string }) => engine.getJob(input.jobId);
  /** Waits for a method on a job, then reports the job. */
  const after = async (input: { jobId: string }, method: Promise<unknown>) => {
    await method;
    return details(input.jobId);
  };

  return {
    'job.create': (input) => Promise.resolve(toJobDetails(engine.createJob(input))),
    'job.get': (input) => Promise.resolve(details(input.jobId)),
    'job.stateLog': (input) => Promise.resolve(engine.stateLog(input.jobId)),
    'job.addFile': (i) => after(i, job(i).addFile(i.remoteUrl, i.localName)),
    'job.addFileSet': (i) => after(i, job(i).addFileSet(i.files)),
    'job.resume': (i) => after(i, job(i).resume()),
    'job.suspend': (i) => after(i, job(i).suspend()),
    'job.takeOwnership': (i) => after(i, job(i).takeOwnership()),
    'job.setDisplayName': (i) => after(i, job(i).setDisplayName(i.displayName)),
    'job.setDescription': (i) => after(i, job(i).setDescription(i.description)),
    'job.setPriority': (i) => after(i, job(i).setPriority(i.priority)),
    'job.setMinimumRetryDelay': (i) => after(i, job(i).setMinimumRetryDelay(i.seconds)),
    'job.setNoProgressTimeout': (i) => after(i, job(i).setNoProgressTimeout(i.seconds)),
    'job.setNotifyFlags': (i) => after(i, job(i).setNotifyFlags(i.flags)),
    'job.setProxySettings': (i) => after(i, job(i).setProxySettings(i.proxy)),
    'job.setCustomHeaders': (i) => after(i, job(i).setCustomHeaders(i.headers)),
    'job.setTransferPolicy': (i) =>
      after(
        i,
        job(i).setTransferPolicy({
          ...(i.connectionsPerFile === undefined
            ? {}
            : { connectionsPerFile: i.connectionsPerFile }),
          ...(i.speedLimit === undefined ? {} : { speedLimit: i.speedLimit }),
          ...(i.completeWhenTransferred === undefined
            ? {}
            : { completeWhenTransferred: i.completeWhenTransferred }),
        }),
      ),
    'job.setRemoteName': (i) => after(i, job(i).setRemoteName(i.fileIndex, i.remoteUrl)),
    'job.complete': async (input) => {
      const result = await engine.getJob(input.jobId).complete();
      return { job: details(input.jobId), ...result };
    },
    'job.cancel': async (input) => {
      const result = await engine.getJob(input.jobId).cancel();
      return { job: details(input.jobId), ...result };
    },
    'job.replaceRemotePrefix': async (input) => {
      const job = engine.getJob(input.jobId);
      const replaced = await job.replaceRemotePrefix(input.oldPrefix, input.newPrefix);
      return { job: details(input.jobId), replaced };
    },
  };
}
