import type { JobId } from '../../app/model/ids.js';
import type { JobInfo } from '../../app/model/job.js';
import { nextSpeed } from './speed.js';
import type { SpeedInfo } from './speed.js';
import type { SliceCreator } from './types.js';

/**
 * The jobs the host reports and the speeds measured from them.
 *
 * Both Maps are replaced, never mutated, once per batch, so a row that selects its own job
 * re-renders only when that job's object changed.
 */
export interface JobsSlice {
  readonly jobs: ReadonlyMap<JobId, JobInfo>;
  readonly speeds: ReadonlyMap<JobId, SpeedInfo>;
  /** Remote URLs per job, lower-cased and joined by newlines, for the search box. */
  readonly remoteUrls: ReadonlyMap<JobId, string>;
  /** Counts applied batches; lets the benchmark see when a batch has reached the store. */
  readonly batchCount: number;
  /** Time of the last applied batch (ms), the clock the speeds were measured with. */
  readonly batchTime: number;
  /** Apply one batch: the job mirror's new Map, in a single store update. */
  readonly applyBatch: (jobs: ReadonlyMap<JobId, JobInfo>, now: number) => void;
}

/**
 * Speeds for a new job Map, reusing the previous entry of every job whose object is unchanged
 * and still recent, so an idle batch costs one Map copy.
 */
export function measureSpeeds(
  prevJobs: ReadonlyMap<JobId, JobInfo>,
  prevSpeeds: ReadonlyMap<JobId, SpeedInfo>,
  jobs: ReadonlyMap<JobId, JobInfo>,
  now: number,
): Map<JobId, SpeedInfo> {
  const speeds = new Map<JobId, SpeedInfo>();
  for (const [id, job] of jobs) {
    const prev = prevSpeeds.get(id);
    if (prev !== undefined && prevJobs.get(id) === job && prev.speed === 0) {
      speeds.set(id, prev);
      continue;
    }
    speeds.set(id, nextSpeed(prev, job, now));
  }
  return speeds;
}

/**
 * Remote URLs for search. Jobs arrive with their files (JobDetails) when first seen; later
 * changes carry JobInfo only, so the last known URLs are kept.
 */
export function indexRemoteUrls(
  prev: ReadonlyMap<JobId, string>,
  jobs: ReadonlyMap<JobId, JobInfo>,
): ReadonlyMap<JobId, string> {
  const urls = new Map<JobId, string>();
  for (const [id, job] of jobs) {
    const files = 'files' in job ? job.files : undefined;
    if (Array.isArray(files)) {
      const joined = files
        .map((f: unknown) =>
          typeof f === 'object' &&
          f !== null &&
          'remoteName' in f &&
          typeof f.remoteName === 'string'
            ? f.remoteName
            : '',
        )
        .join('\n')
        .toLowerCase();
      urls.set(id, joined);
    } else {
      const known = prev.get(id);
      if (known !== undefined) urls.set(id, known);
    }
  }
  return urls;
}

/** The jobs slice. */
export const createJobsSlice: SliceCreator<JobsSlice> = (set) => ({
  jobs: new Map(),
  speeds: new Map(),
  remoteUrls: new Map(),
  batchCount: 0,
  batchTime: 0,
  applyBatch: (jobs, now) => {
    set(
      (state) => {
        const speeds = measureSpeeds(state.jobs, state.speeds, jobs, now);
        let selected = state.selected;
        for (const id of selected) {
          if (!jobs.has(id)) {
            selected = new Set([...selected].filter((s) => jobs.has(s)));
            break;
          }
        }
        const focused = state.focused !== null && jobs.has(state.focused) ? state.focused : null;
        return {
          jobs,
          speeds,
          remoteUrls: indexRemoteUrls(state.remoteUrls, jobs),
          selected,
          focused,
          batchCount: state.batchCount + 1,
          batchTime: now,
        };
      },
      false,
      'jobs/applyBatch',
    );
  },
});
