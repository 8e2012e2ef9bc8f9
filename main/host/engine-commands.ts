import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CommandName, EngineHostInfo, JobDetails, JobId } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import type { Engine, Job } from '../engine/index.js';
import type { EventHub } from './event-hub.js';
import type { CommandHandlers } from './command-table.js';
import type { CallerCommandName } from './notify-commands.js';
import { toJobDetails } from './job-details.js';
import { defaultDownloadFolder, planDownloads } from './download-plan.js';
import { runBatch } from './batch-commands.js';
import { networkEnvironment } from '../../app/network-environment.js';
import { valueDigest } from '../cli/value-digest.js';
import { maskProxySettings, restoreMaskedProxy } from '../../app/secret-mask.js';

/** Jobs read between two turns of the event loop by a listing (about 2 ms of work). */
const JOBS_PER_TURN = 100;

/** Commands that are not about one job: listings, history, settings, host info, planning. */
type EngineCommandName = Exclude<
  CommandName,
  | `job.${string}`
  | `browser.${string}`
  | `files.${string}`
  | `folders.${string}`
  | CallerCommandName
>;

/**
 * Handlers of the `jobs.*`, `settings.*`, `engine.*` and `downloads.*` commands.
 *
 * `jobs.snapshot` is read together with the hub's event revision, synchronously, so a client
 * that subscribed first can drop exactly the events the snapshot already contains; `jobs.enum`
 * and `jobs.history` have no revision to match and are read incrementally.
 */
export function engineCommands(
  engine: Engine,
  hub: EventHub,
  info: Omit<EngineHostInfo, 'dataDir' | 'user' | 'defaultDownloadFolder' | 'network'>,
): CommandHandlers<EngineCommandName> {
  const { parsed } = engine;
  const list = (input: { allUsers: boolean; includeHistory: boolean }): JobDetails[] => {
    const live = parsed.enumJobs(input.allUsers).map(toJobDetails);
    if (!input.includeHistory) return live;
    const history = engine
      .history()
      .filter((job) => input.allUsers || job.owner === engine.user)
      .map((job) => toJobDetails(parsed.job(job.id)));
    return [...live, ...history];
  };
  /**
   * The same list built a slice at a time, yielding between slices so that other clients are
   * answered while a long list (thousands of jobs) is read. A job removed meanwhile is left out.
   */
  const listIncrementally = async (input: {
    allUsers: boolean;
    includeHistory: boolean;
    after?: JobId | undefined;
    limit?: number | undefined;
  }): Promise<JobDetails[]> => {
    let jobs = parsed.enumJobs(input.allUsers);
    if (input.includeHistory) {
      for (const info of engine.history()) {
        if (!input.allUsers && info.owner !== engine.user) continue;
        jobs.push(parsed.job(info.id));
      }
    }
    if (input.after !== undefined) {
      const at = jobs.findIndex((job) => job.id === input.after);
      if (at < 0) {
        throw new FerryError(
          'INPUT_INVALID',
          'GENERAL_QUEUE_MANAGER',
          `Invalid input for jobs.enum: after '${input.after}' is not in the listing (removed meanwhile?): list again from the start`,
        );
      }
      jobs = jobs.slice(at + 1);
    }
    if (input.limit !== undefined) jobs = jobs.slice(0, input.limit);
    return detailsIncrementally(jobs);
  };
  const detailsIncrementally = async (jobs: readonly Job[]): Promise<JobDetails[]> => {
    const details: JobDetails[] = [];
    for (let i = 0; i < jobs.length; i++) {
      if (i > 0 && i % JOBS_PER_TURN === 0) await nextTurn();
      const job = jobs[i];
      if (job === undefined || !exists(job.id)) continue;
      details.push(toJobDetails(job));
    }
    return details;
  };
  const exists = (jobId: JobId): boolean => {
    try {
      parsed.job(jobId);
      return true;
    } catch {
      return false;
    }
  };
  const settings = () => {
    // Paired extensions are listed and changed through browser.* only (see setSettingsInput).
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- left out on purpose
    const { pairedExtensions: _paired, ...app } = engine.getAppSettings();
    const current = engine.getSettings();
    return { engine: { ...current, defaultProxy: maskProxySettings(current.defaultProxy) }, app };
  };

  return {
    'engine.info': () =>
      Promise.resolve({
        ...info,
        dataDir: engine.dataDir,
        user: engine.user,
        defaultDownloadFolder: defaultDownloadFolder(engine.getAppSettings()),
        network: networkEnvironment(process.env, valueDigest),
      }),
    'jobs.enum': (input) => listIncrementally(input),
    'jobs.snapshot': (input) => {
      const revision = hub.revision;
      return Promise.resolve({ revision, jobs: list(input) });
    },
    'jobs.history': () => detailsIncrementally(engine.history().map((job) => parsed.job(job.id))),
    'jobs.removeFromHistory': (input) => {
      parsed.removeFromHistory(input.jobId);
      return Promise.resolve({ removed: input.jobId });
    },
    'jobs.clearHistory': () => Promise.resolve({ removed: engine.clearHistory() }),
    'jobs.batch': (input) => runBatch(engine, input),
    'settings.get': () => Promise.resolve(settings()),
    'settings.set': (input) => {
      // The contract's schema has checked both halves already, so neither write can be
      // refused after the other went in: a bad field changes nothing.
      const proxy = input.engine?.defaultProxy;
      parsed.setSettings(
        proxy === undefined || input.engine === undefined
          ? input
          : {
              ...input,
              engine: {
                ...input.engine,
                defaultProxy: restoreMaskedProxy(proxy, engine.getSettings().defaultProxy),
              },
            },
      );
      return Promise.resolve(settings());
    },
    'downloads.plan': (input) => planDownloads(engine, input),
  };
}
