import { useEffect, useState } from 'react';
import type { JobDetails } from '../../../app/contract.js';
import type { JobInfo } from '../../../app/model/job.js';
import { useClient } from '../../client/client-context.js';

/**
 * The selected job's files and error log, fetched with `job.get` whenever its JobInfo
 * changes (the mirror carries JobInfo only; batches arrive a few times a second at most).
 */
export function useJobDetails(job: JobInfo): JobDetails | null {
  const { client } = useClient();
  const [details, setDetails] = useState<JobDetails | null>(null);
  useEffect(() => {
    let live = true;
    client
      .invoke('job.get', { jobId: job.id })
      .then((d) => {
        if (live) setDetails(d);
      })
      .catch(() => {
        // Gone (removed from history) or link down: keep what we had.
      });
    return () => {
      live = false;
    };
  }, [client, job]);
  return details?.id === job.id ? details : null;
}
