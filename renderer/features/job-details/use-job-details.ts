import { useEffect, useState } from 'react';
import type { JobDetails } from '../../../app/contract.js';
import type { JobId } from '../../../app/model/ids.js';
import type { JobInfo } from '../../../app/model/job.js';
import { useClient } from '../../client/client-context.js';

/**
 * The selected job's files and error log, fetched with `job.get` whenever its JobInfo
 * changes (the mirror carries JobInfo only; batches arrive a few times a second at most), and
 * whenever one of its BITS callbacks arrives: while the pane shows a job, the window is
 * registered for that job's callbacks (`job.setNotifyInterface`), so a finished file, an error
 * or a modification (as far as the job's notify flags ask for them) refreshes the pane at once.
 */
export function useJobDetails(job: JobInfo): JobDetails | null {
  const { client } = useClient();
  const [details, setDetails] = useState<JobDetails | null>(null);
  const [callbacks, setCallbacks] = useState(0);

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
  }, [client, job, callbacks]);

  useEffect(
    () =>
      followJob(client, job.id, () => {
        setCallbacks((n) => n + 1);
      }),
    [client, job.id],
  );

  return details?.id === job.id ? details : null;
}

/** Registers for one job's callbacks and calls `onCallback` for each; returns the undo. */
function followJob(
  client: ReturnType<typeof useClient>['client'],
  jobId: JobId,
  onCallback: () => void,
): () => void {
  const mine = (payload: { readonly job: JobInfo }): void => {
    if (payload.job.id === jobId) onCallback();
  };
  const offs = [
    client.on('jobTransferred', mine),
    client.on('jobError', mine),
    client.on('jobModification', mine),
    client.on('fileTransferred', mine),
  ];
  const register = (enabled: boolean): void => {
    client.invoke('job.setNotifyInterface', { jobId, enabled }).catch(() => {
      // A job gone from history, or the link down: a reconnect starts a new link anyway.
    });
  };
  // Registered on every (re)connection: a registration ends with the link it was made on.
  const offConnection = client.onConnection((state) => {
    if (state === 'open') register(true);
  });
  return () => {
    offConnection();
    register(false);
    for (const off of offs) off();
  };
}
