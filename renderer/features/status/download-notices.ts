import { useEffect } from 'react';
import type { JobId } from '../../../app/model/ids.js';
import type { JobState } from '../../../app/model/job-state.js';
import type { FerryState, FerryStore } from '../../store/index.js';

/**
 * Tells the user when downloads fail or finish, grouped ("3 downloads failed") rather than one
 * message each; jobs seen for the first time (the initial list, a reconnect) say nothing.
 */
export function useDownloadNotices(store: FerryStore): void {
  useEffect(() => {
    let known = new Map<JobId, JobState>();
    let started = false;
    const check = (jobs: FerryState['jobs']) => {
      const next = new Map<JobId, JobState>();
      let failed = 0;
      let finished = 0;
      for (const [id, job] of jobs) {
        next.set(id, job.state);
        const before = known.get(id);
        if (!started || before === undefined || before === job.state) continue;
        if (job.state === 'ERROR') failed += 1;
        if (job.state === 'ACKNOWLEDGED' && before !== 'CANCELLED') finished += 1;
      }
      known = next;
      started = started || jobs.size > 0 || store.getState().batchCount > 0;
      const state = store.getState();
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
    };
    check(store.getState().jobs);
    return store.subscribe((state, prev) => {
      if (state.jobs !== prev.jobs) check(state.jobs);
    });
  }, [store]);
}
