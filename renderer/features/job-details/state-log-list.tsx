import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobInfo } from '../../../app/model/job.js';
import type { StateLogEntry } from '../../../app/state-log.js';
import { useClient } from '../../client/client-context.js';
import { formatDateTime } from '../../i18n/format.js';

/**
 * The job's state log (`job.stateLog`): when the system paused and resumed it (sleep, screen
 * lock, end of session). Read again whenever the job's state changes, since a hold always
 * changes it; nothing shows for a job the system never paused.
 */
export function StateLogList({ job }: { readonly job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const { client } = useClient();
  const [entries, setEntries] = useState<readonly StateLogEntry[]>([]);
  useEffect(() => {
    let live = true;
    client
      .invoke('job.stateLog', { jobId: job.id })
      .then((log) => {
        if (live) setEntries(log);
      })
      .catch(() => {
        // A host without the command, or the link down: nothing to show.
      });
    return () => {
      live = false;
    };
  }, [client, job.id, job.state]);
  if (entries.length === 0) return null;
  return (
    <section className="state-log" aria-label={t('shell.stateLog.title')}>
      <h3>{t('shell.stateLog.title')}</h3>
      <ul>
        {entries.map((entry, i) => (
          <li key={`${String(entry.time)}-${String(i)}`}>
            {formatDateTime(entry.time, i18n.language)} · {t(`shell.stateLog.${entry.cause}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}
