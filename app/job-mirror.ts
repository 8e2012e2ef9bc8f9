import type { FerryClient, JobsChangedPayload } from './contract.js';
import type { JobId } from './model/ids.js';
import type { JobInfo } from './model/job.js';
import { isFinalState } from './model/job-state.js';
import type { FerryErrorCode } from './errors.js';
import { hasErrorCode } from './errors.js';
import type { Timer } from './timers.js';
import { startTimer } from './timers.js';

/** First delay before a snapshot that failed on an open link is fetched again (doubling). */
const RESYNC_DELAY_MS = 500;
const MAX_RESYNC_DELAY_MS = 10_000;
/** Failures that mean the link is down: the next 'open' re-syncs, no timer needed. */
const LINK_ERRORS: readonly FerryErrorCode[] = [
  'RPC_DISCONNECTED',
  'RPC_UNREACHABLE',
  'RPC_UNAUTHORIZED',
];

/** What the mirror keeps and for whom. */
export interface JobMirrorOptions {
  /** Keep ACKNOWLEDGED and CANCELLED jobs (history) too; default false. */
  readonly includeHistory?: boolean;
  /** Keep every user's jobs, not just the host user's; default false. */
  readonly allUsers?: boolean;
}

/** One change of the mirror: the new map (a new object each time) and what moved. */
export interface MirrorUpdate {
  readonly jobs: ReadonlyMap<JobId, JobInfo>;
  readonly changed: ReadonlySet<JobId>;
  readonly removed: ReadonlySet<JobId>;
  /** True when the map was rebuilt from a snapshot (first load or after a reconnect). */
  readonly resynced: boolean;
  /** The host's event revision the map reflects. */
  readonly revision: number;
}

/** A running mirror. */
export interface JobMirror {
  /** The current map (replaced, never mutated, on every update). */
  readonly jobs: ReadonlyMap<JobId, JobInfo>;
  /** Stops listening to the client. */
  stop(): void;
}

/**
 * Keeps a map of jobs equal to the host's, from the `jobsChanged` batches.
 *
 * The order is what makes it lossless: it subscribes first, then fetches `jobs.snapshot`;
 * batches that arrive meanwhile are held back, and once the snapshot is in, only those newer
 * than its revision are applied. After every reconnect it re-syncs the same way, so events
 * sent while the link was down are never missed. A snapshot that fails while the link stays
 * up (the host answered with an error) is fetched again after a growing delay, batches still
 * held meanwhile: a client whose link never drops (the desktop bridge) would otherwise stay
 * out of sync for good. `onUpdate` is called once per applied batch, with a new Map, so a
 * store can replace its state in one step.
 */
export function createJobMirror(
  client: FerryClient,
  options: JobMirrorOptions,
  onUpdate: (update: MirrorUpdate) => void,
): JobMirror {
  let jobs: ReadonlyMap<JobId, JobInfo> = new Map();
  let revision = -1;
  let user: string | null = null;
  /** Batches received before the first snapshot or while one is on its way; null otherwise. */
  let held: JobsChangedPayload[] | null = [];
  let generation = 0;
  let stopped = false;
  let retry: Timer | null = null;
  let retryDelay = RESYNC_DELAY_MS;

  const keeps = (job: JobInfo): boolean =>
    (options.includeHistory === true || !isFinalState(job.state)) &&
    (options.allUsers === true || user === null || job.owner === user);

  const apply = (batch: JobsChangedPayload): void => {
    if (batch.revision <= revision) return;
    revision = batch.revision;
    const next = new Map(jobs);
    const changed = new Set<JobId>();
    const removed = new Set<JobId>();
    for (const id of batch.removed) {
      if (next.delete(id)) removed.add(id);
    }
    for (const job of [...batch.added, ...batch.changed]) {
      if (keeps(job)) {
        next.set(job.id, job);
        changed.add(job.id);
      } else if (next.delete(job.id)) {
        removed.add(job.id);
      }
    }
    jobs = next;
    onUpdate({ jobs, changed, removed, resynced: false, revision });
  };

  const sync = async (): Promise<void> => {
    const mine = ++generation;
    retry?.cancel();
    retry = null;
    held = [];
    try {
      if (user === null) user = (await client.invoke('engine.info', {})).user;
      const snapshot = await client.invoke('jobs.snapshot', {
        allUsers: options.allUsers ?? false,
        includeHistory: options.includeHistory ?? false,
      });
      if (mine !== generation || stopped) return;
      const pendingBatches: JobsChangedPayload[] = held;
      held = null;
      revision = snapshot.revision;
      jobs = new Map(snapshot.jobs.filter(keeps).map((job) => [job.id, job]));
      onUpdate({
        jobs,
        changed: new Set(jobs.keys()),
        removed: new Set(),
        resynced: true,
        revision,
      });
      retryDelay = RESYNC_DELAY_MS;
      for (const batch of pendingBatches) apply(batch);
    } catch (error) {
      if (mine !== generation || stopped) return;
      if (LINK_ERRORS.some((code) => hasErrorCode(error, code))) {
        // The link dropped during the sync; the next 'open' starts another one.
        held = null;
        return;
      }
      // The host refused or failed the snapshot on a working link: keep holding batches and
      // ask again (a newer snapshot makes the held ones it already contains redundant).
      retry = startTimer(() => {
        retry = null;
        if (!stopped) void sync();
      }, retryDelay);
      retryDelay = Math.min(MAX_RESYNC_DELAY_MS, retryDelay * 2);
    }
  };

  const offBatch = client.on('jobsChanged', (batch) => {
    if (held !== null) held.push(batch);
    else apply(batch);
  });
  const offConnection = client.onConnection((state) => {
    if (state === 'open' && !stopped) void sync();
  });

  return {
    get jobs() {
      return jobs;
    },
    stop() {
      stopped = true;
      retry?.cancel();
      retry = null;
      offBatch();
      offConnection();
    },
  };
}
