import type {
  CommandInput,
  CommandName,
  CommandOutput,
  EventName,
  EventPayloads,
  FerryClient,
  JobDetails,
  SettingsView,
} from '../../../app/contract.js';
import { DEFAULT_APP_SETTINGS } from '../../../app/model/app-settings.js';
import type { JobId } from '../../../app/model/ids.js';
import { NO_VALIDATION } from '../../../app/model/validation.js';
import type { JobInfo } from '../../../app/model/job.js';
import type { JobState } from '../../../app/model/job-state.js';
import { DEFAULT_ENGINE_SETTINGS } from '../../../app/model/settings.js';

/**
 * An in-page stand-in for the engine's host, for the UI benchmark: it serves a snapshot of
 * `jobCount` jobs and pushes `jobsChanged` batches on demand, through the real contract
 * client interface, so the real job mirror, store and React tree do all the work being
 * measured (and no network or engine noise gets in).
 */
export interface FakeHost {
  readonly client: FerryClient;
  /** Pushes one batch that advances every transferring job; returns how many changed. */
  emitBatch(): number;
}

const STATES: readonly JobState[] = [
  'QUEUED',
  'SUSPENDED',
  'ERROR',
  'TRANSFERRED',
  'TRANSIENT_ERROR',
];

function idOf(n: number): JobId {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}` as JobId;
}

function makeJob(n: number, transferring: boolean): JobDetails {
  const total = 50_000_000 + (n % 97) * 1_000_000;
  const state = transferring ? 'TRANSFERRING' : (STATES[n % STATES.length] ?? 'QUEUED');
  return {
    id: idOf(n),
    type: 'DOWNLOAD',
    flavour: n % 10 === 0 ? 'DO' : 'BITS',
    displayName: `file-${String(n).padStart(5, '0')}.iso`,
    description: '',
    state,
    priority: (['FOREGROUND', 'HIGH', 'NORMAL', 'LOW'] as const)[n % 4] ?? 'NORMAL',
    owner: 'bench',
    progress: {
      bytesTotal: n % 50 === 0 ? null : total,
      bytesTransferred: state === 'TRANSFERRED' ? total : (n * 7919) % total,
      filesTotal: 1,
      filesTransferred: state === 'TRANSFERRED' ? 1 : 0,
    },
    times: {
      creationTime: 1_700_000_000_000 + n * 1000,
      modificationTime: 1_700_000_000_000,
      transferCompletionTime: null,
      retryTime: null,
    },
    minimumRetryDelay: 600,
    noProgressTimeout: 1_209_600,
    maximumDownloadTime: 7_776_000,
    notifyFlags: 3,
    notifyCmdLine: null,
    proxy: { usage: 'PRECONFIG', proxyList: [], bypassList: [] },
    customHeaders: [],
    transferPolicy: {
      connectionsPerFile: null,
      speedLimit: 0,
      completeWhenTransferred: false,
      trustedCertificates: [],
    },
    credentials: [],
    errorCount: state === 'ERROR' ? 1 : 0,
    error:
      state === 'ERROR'
        ? {
            context: 'REMOTE_FILE',
            code: 'HTTP_NOT_FOUND',
            message: 'HTTP 404 Not Found',
            fileIndex: 0,
            httpStatus: 404,
            sysCode: null,
            protocol: 'http',
            time: 1_700_000_000_000,
          }
        : null,
    files: [
      {
        index: 0,
        remoteName: `http://mirror.example/pool/file-${String(n)}.iso`,
        localName: `/downloads/file-${String(n)}.iso`,
        tempName: `/downloads/file-${String(n)}.iso.ferry-part`,
        progress: { bytesTotal: total, bytesTransferred: 0, transferred: false, completed: false },
        validation: { ...NO_VALIDATION },
      },
    ],
    errors: [],
  };
}

/** A host with `jobCount` jobs, every `jobCount / transferring`-th one transferring. */
export function createFakeHost(jobCount: number, transferring: number): FakeHost {
  const every = Math.max(1, Math.floor(jobCount / transferring));
  const jobs = new Map<JobId, JobInfo>();
  const moving: JobId[] = [];
  for (let n = 0; n < jobCount; n++) {
    const isMoving = n % every === 0 && moving.length < transferring;
    const job = makeJob(n, isMoving);
    jobs.set(job.id, job);
    if (isMoving) moving.push(job.id);
  }
  let revision = 0;
  const listeners = new Set<(payload: EventPayloads['jobsChanged']) => void>();
  const settings: SettingsView = { engine: DEFAULT_ENGINE_SETTINGS, app: DEFAULT_APP_SETTINGS };

  const answer = (command: CommandName): unknown => {
    switch (command) {
      case 'engine.info':
        return { version: 'bench', dataDir: '/bench', user: 'bench', pid: 1, host: 'server' };
      case 'jobs.snapshot':
        return { revision, jobs: [...jobs.values()] };
      case 'settings.get':
        return settings;
      case 'job.get':
        return jobs.get(moving[0] ?? idOf(0));
      default:
        throw new Error(`the benchmark host does not implement ${command}`);
    }
  };

  const client: FerryClient = {
    invoke<C extends CommandName>(command: C, _input: CommandInput<C>): Promise<CommandOutput<C>> {
      // A command the bench does not answer rejects, as a real client's would; it must not
      // throw synchronously into the caller.
      return new Promise((resolve) => {
        resolve(answer(command) as CommandOutput<C>);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      if (event !== 'jobsChanged') return () => undefined;
      const l = listener as (payload: EventPayloads['jobsChanged']) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onConnection(listener) {
      listener('open');
      return () => undefined;
    },
  };

  return {
    client,
    emitBatch() {
      revision += 1;
      const changed: JobInfo[] = [];
      for (const id of moving) {
        const job = jobs.get(id);
        if (job === undefined) continue;
        const total = job.progress.bytesTotal ?? Number.MAX_SAFE_INTEGER;
        const next: JobInfo = {
          ...job,
          progress: {
            ...job.progress,
            bytesTransferred: (job.progress.bytesTransferred + 250_000) % total,
          },
        };
        jobs.set(id, next);
        changed.push(next);
      }
      const payload = { revision, changed, added: [], removed: [] };
      for (const l of listeners) l(payload);
      return changed.length;
    },
  };
}
