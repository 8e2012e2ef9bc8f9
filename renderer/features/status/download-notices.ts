import { useEffect } from 'react';
import type { JobInfo } from '../../../app/model/job.js';
import type { FerryState, FerryStore } from '../../store/index.js';

/** How many jobs of a batch failed and finished, comparing each changed job with before. */
export function countTransitions(
  prev: FerryState['jobs'],
  next: FerryState['jobs'],
): { failed: number; finished: number } {
  let failed = 0;
  let finished = 0;
  for (const [id, job] of next) {
    const before: JobInfo | undefined = prev.get(id);
    // Unchanged jobs keep their object: one identity check each, no allocation.
    if (before === undefined || before === job || before.state === job.state) continue;
    if (job.state === 'ERROR') failed += 1;
    else if (job.state === 'ACKNOWLEDGED' && before.state !== 'CANCELLED') finished += 1;
  }
  return { failed, finished };
}

/**
 * Tells the user when downloads fail or finish, grouped ("3 downloads failed") rather than one
 * message each; jobs seen for the first time (the initial list, a reconnect) say nothing.
 */
export function useDownloadNotices(store: FerryStore): void {
  useEffect(
    () =>
      store.subscribe((state, prev) => {
        if (state.jobs === prev.jobs || prev.jobs.size === 0) return;
        const { failed, finished } = countTransitions(prev.jobs, state.jobs);
        if (failed > 0) {
          state.pushNotice({
            key: 'notices.downloadsFailed',
            params: { count: failed },
            kind: 'error',
            group: true,
          });
        }
        if (finished > 0) {
          state.pushNotice({
            key: 'notices.downloadsDone',
            params: { count: finished },
            kind: 'info',
            group: true,
          });
        }
      }),
    [store],
  );
}
