import type { CommandName, EngineHostInfo, JobDetails } from '../../app/index.js';
import type { Engine } from '../engine/index.js';
import type { EventHub } from './event-hub.js';
import type { CommandHandlers } from './job-commands.js';
import type { CallerCommandName } from './notify-commands.js';
import { toJobDetails } from './job-details.js';
import { defaultDownloadFolder, planDownloads } from './download-plan.js';
import { runBatch } from './batch-commands.js';

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
 * that subscribed first can drop exactly the events the snapshot already contains.
 */
export function engineCommands(
  engine: Engine,
  hub: EventHub,
  info: Omit<EngineHostInfo, 'dataDir' | 'user' | 'defaultDownloadFolder'>,
): CommandHandlers<EngineCommandName> {
  const list = (input: { allUsers: boolean; includeHistory: boolean }): JobDetails[] => {
    const live = engine.enumJobs({ allUsers: input.allUsers }).map(toJobDetails);
    if (!input.includeHistory) return live;
    const history = engine
      .history()
      .filter((job) => input.allUsers || job.owner === engine.user)
      .map((job) => toJobDetails(engine.getJob(job.id)));
    return [...live, ...history];
  };
  const settings = () => {
    // Paired extensions are listed and changed through browser.* only (see setSettingsInput).
    const { pairedExtensions: _paired, ...app } = engine.getAppSettings();
    return { engine: engine.getSettings(), app };
  };

  return {
    'engine.info': () =>
      Promise.resolve({
        ...info,
        dataDir: engine.dataDir,
        user: engine.user,
        defaultDownloadFolder: defaultDownloadFolder(engine.getAppSettings()),
      }),
    'jobs.enum': (input) => Promise.resolve(list(input)),
    'jobs.snapshot': (input) => {
      const revision = hub.revision;
      return Promise.resolve({ revision, jobs: list(input) });
    },
    'jobs.history': () =>
      Promise.resolve(engine.history().map((job) => toJobDetails(engine.getJob(job.id)))),
    'jobs.removeFromHistory': (input) => {
      engine.removeFromHistory(input.jobId);
      return Promise.resolve({ removed: input.jobId });
    },
    'jobs.clearHistory': () => Promise.resolve({ removed: engine.clearHistory() }),
    'jobs.batch': (input) => runBatch(engine, input),
    'settings.get': () => Promise.resolve(settings()),
    'settings.set': (input) => {
      // The contract's schema has checked both halves already, so neither write can be
      // refused after the other went in: a bad field changes nothing.
      if (input.engine !== undefined) engine.setSettings(input.engine);
      if (input.app !== undefined) engine.setAppSettings(input.app);
      return Promise.resolve(settings());
    },
    'downloads.plan': (input) => planDownloads(engine, input),
  };
}
