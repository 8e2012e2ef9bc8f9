import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isFinalState } from '../../../app/model/job-state.js';
import type { JobInfo } from '../../../app/model/job.js';
import { useClient } from '../../client/client-context.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';
import { notifiesMe, withNotifyMe } from './notify-me.js';

/**
 * "Notify me when it finishes or fails": the job's notify flags as one switch (notify-me.ts).
 * It shows the new position at once and holds it until the job's flags say the same.
 */
export function NotifyToggle({ job }: { readonly job: JobInfo }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const actual = notifiesMe(job.notifyFlags);
  const [pending, setPending] = useState<boolean | null>(null);
  useEffect(() => {
    if (pending === actual) setPending(null);
  }, [pending, actual]);
  if (isFinalState(job.state)) return null;
  return (
    <label className="notify-toggle">
      <input
        type="checkbox"
        checked={pending ?? actual}
        onChange={(event) => {
          const on = event.currentTarget.checked;
          setPending(on);
          client
            .invoke('job.setNotifyFlags', {
              jobId: job.id,
              flags: withNotifyMe(job.notifyFlags, on),
            })
            .catch((error: unknown) => {
              setPending(null);
              store.getState().pushNotice({
                key: 'notices.failed',
                params: {
                  action: 'shell.notifyMe',
                  message: error instanceof Error ? error.message : String(error),
                },
                kind: 'error',
              });
            });
        }}
      />{' '}
      {t('shell.notifyMe')}
    </label>
  );
}
