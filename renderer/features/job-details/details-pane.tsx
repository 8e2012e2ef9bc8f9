import { useTranslation } from 'react-i18next';
import type { JobInfo } from '../../../app/model/job.js';
import { StateBadge } from '../../components/state-badge.js';
import { formatDateTime } from '../../i18n/format.js';
import { jobSelectors } from '../../store/selectors.js';
import { useFerryStore } from '../../store/use-ferry-store.js';
import { ErrorSection } from './error-section.js';
import { FilesSection } from './files-section.js';
import { PropertiesForm } from './properties-form.js';
import { SpeedChart } from './speed-chart.js';
import { useJobDetails } from './use-job-details.js';

function Times({ job }: { readonly job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const at = (ms: number | null) =>
    ms === null ? t('details.never') : formatDateTime(ms, i18n.language);
  return (
    <section aria-label={t('details.times')}>
      <h3>{t('details.times')}</h3>
      <dl>
        <dt>{t('details.created')}</dt>
        <dd>{at(job.times.creationTime)}</dd>
        <dt>{t('details.modified')}</dt>
        <dd>{at(job.times.modificationTime)}</dd>
        <dt>{t('details.transferredAt')}</dt>
        <dd>{at(job.times.transferCompletionTime)}</dd>
        <dt>{t('details.owner')}</dt>
        <dd>{job.owner}</dd>
      </dl>
    </section>
  );
}

function Body({ job }: { readonly job: JobInfo }) {
  const details = useJobDetails(job);
  return (
    <>
      <header className="details-head">
        <h2 id="details-title">{job.displayName}</h2>
        <StateBadge state={job.state} />
      </header>
      {details !== null && job.error !== null && (
        <ErrorSection key={`${job.id}-${String(job.error.time)}`} job={details} error={job.error} />
      )}
      <SpeedChart id={job.id} />
      {details !== null && <FilesSection files={details.files} />}
      <Times job={job} />
      <PropertiesForm key={job.id} job={job} />
    </>
  );
}

/** The selected job in full: error, speed chart, files, times, editable properties. */
export function DetailsPane({ onClose }: { readonly onClose: () => void }) {
  const { t } = useTranslation();
  const job = useFerryStore(jobSelectors.singleSelected);
  return (
    <aside className="details" aria-label={t('details.title')} id="details" tabIndex={-1}>
      <button type="button" className="close" aria-label={t('details.close')} onClick={onClose}>
        ×
      </button>
      {job === null ? <p className="muted">{t('details.none')}</p> : <Body job={job} />}
    </aside>
  );
}
