import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobInfo } from '../../../app/model/job.js';
import { useClient } from '../../client/client-context.js';
import { Icon } from '../../components/icons.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { CountdownBadge } from '../../components/state-badge.js';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatPercent,
  formatSpeed,
} from '../../i18n/format.js';
import { isMoving } from '../../store/job-status.js';
import { jobSelectors } from '../../store/selectors.js';
import { progressFraction } from '../../store/speed.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { folderOf, runFileAction } from '../jobs/file-actions.js';
import { ErrorSection } from './error-section.js';
import { FilesSection } from './files-section.js';
import { NotifyToggle } from './notify-toggle.js';
import { StateLogList } from './state-log-list.js';
import { PropertiesForm } from './properties-form.js';
import { SpeedChart } from './speed-chart.js';
import { useJobDetails } from './use-job-details.js';

/** What a user asks first: how far, how fast, how long, where. */
function Overview({ job, folder }: { readonly job: JobInfo; readonly folder: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const speed = useFerryStore(jobSelectors.speed(job.id));
  const eta = useFerryStore(jobSelectors.eta(job.id));
  const fraction = progressFraction(job);
  const { bytesTransferred, bytesTotal, filesTotal, filesTransferred } = job.progress;
  const size =
    bytesTotal === null
      ? t('list.sizeOfUnknown', { done: formatBytes(bytesTransferred, locale) })
      : t('list.sizeOf', {
          done: formatBytes(bytesTransferred, locale),
          total: formatBytes(bytesTotal, locale),
        });
  return (
    <section className="overview" aria-label={t('details.overview')}>
      <ProgressBar
        fraction={fraction}
        moving={isMoving(job)}
        label={t('list.progress', { name: job.displayName })}
        valueText={fraction === null ? size : formatPercent(fraction, locale)}
        tone={`state-${job.state.toLowerCase()}`}
      />
      <dl>
        <dt>{t('details.progress')}</dt>
        <dd data-field="progress">
          {fraction === null ? size : `${formatPercent(fraction, locale)} · ${size}`}
        </dd>
        {isMoving(job) && (
          <>
            <dt>{t('list.columns.speed')}</dt>
            <dd data-field="speed">{formatSpeed(speed, locale)}</dd>
          </>
        )}
        {eta !== null && (
          <>
            <dt>{t('list.columns.timeLeft')}</dt>
            <dd>{formatDuration(eta, locale)}</dd>
          </>
        )}
        <dt>{t('list.columns.files')}</dt>
        <dd>{t('list.files', { done: filesTransferred, count: filesTotal })}</dd>
        {folder !== null && (
          <>
            <dt>{t('details.folder')}</dt>
            <dd data-field="folder">{folder}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** The BITS view of the job: its state name, times and owner, for those who want them. */
function BitsFacts({ job }: { readonly job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const at = (ms: number | null) =>
    ms === null ? t('details.never') : formatDateTime(ms, i18n.language);
  return (
    <dl>
      <dt>{t('details.flavour')}</dt>
      <dd data-field="flavour">{t(`flavours.${job.flavour}`)}</dd>
      <dt>{t('details.bitsState')}</dt>
      <dd data-field="bits-state">
        <code>{job.state}</code>
      </dd>
      <dd className="state-description" data-field="state-description">
        {t(`states.${job.flavour}.${job.state}`)}
      </dd>
      <dt>{t('details.created')}</dt>
      <dd>{at(job.times.creationTime)}</dd>
      <dt>{t('details.modified')}</dt>
      <dd>{at(job.times.modificationTime)}</dd>
      <dt>{t('details.transferredAt')}</dt>
      <dd>{at(job.times.transferCompletionTime)}</dd>
      <dt>{t('details.owner')}</dt>
      <dd>{job.owner}</dd>
      <dt>{t('details.jobId')}</dt>
      <dd>
        <code>{job.id}</code>
      </dd>
    </dl>
  );
}

function Body({ job }: { readonly job: JobInfo }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const details = useJobDetails(job);
  const first = details?.files[0];
  const folder = first === undefined ? null : folderOf(first.localName);
  const done = job.state === 'ACKNOWLEDGED';
  return (
    <>
      <header className="details-head">
        <h2 id="details-title" title={job.displayName}>
          {job.displayName}
        </h2>
        <CountdownBadge
          state={job.state}
          retryTime={job.state === 'TRANSIENT_ERROR' ? job.times.retryTime : null}
        />
      </header>
      {done && (
        <div className="details-actions">
          <button
            type="button"
            onClick={() => {
              void runFileAction(client, store, 'openFile', job.id);
            }}
          >
            <Icon name="file" /> {t('actions.openFile')}
          </button>
          <button
            type="button"
            onClick={() => {
              void runFileAction(client, store, 'showInFolder', job.id);
            }}
          >
            <Icon name="folder" /> {t('actions.showInFolder')}
          </button>
        </div>
      )}
      <Overview job={job} folder={folder} />
      <NotifyToggle job={job} />
      {details !== null && job.error !== null && job.state !== 'ACKNOWLEDGED' && (
        <ErrorSection key={`${job.id}-${String(job.error.time)}`} job={details} error={job.error} />
      )}
      {details !== null && <FilesSection jobId={job.id} files={details.files} />}
      <SpeedChart id={job.id} />
      <details className="advanced">
        <summary>{t('details.advanced')}</summary>
        <BitsFacts job={job} />
        <StateLogList job={job} />
        <PropertiesForm key={job.id} job={job} />
      </details>
    </>
  );
}

/**
 * The selected download: what it is doing and where it goes first, the error with its fix,
 * its files, the speed chart; the BITS properties under "Advanced". Each download opens
 * scrolled to the top.
 */
export function DetailsPane({ onClose }: { readonly onClose: () => void }) {
  const { t } = useTranslation();
  const job = useFerryStore(jobSelectors.singleSelected);
  const ref = useRef<HTMLElement>(null);
  const id = job?.id;
  useEffect(() => {
    ref.current?.scrollTo({ top: 0 });
  }, [id]);
  return (
    <aside ref={ref} className="details" aria-label={t('details.title')} id="details" tabIndex={-1}>
      <button type="button" className="close" aria-label={t('details.close')} onClick={onClose}>
        ×
      </button>
      {job === null ? <p className="muted">{t('details.none')}</p> : <Body job={job} />}
    </aside>
  );
}
