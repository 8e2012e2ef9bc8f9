import { memo } from 'react';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobId } from '../../../app/model/ids.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { StateBadge } from '../../components/state-badge.js';
import { formatBytes, formatDuration, formatPercent, formatSpeed } from '../../i18n/format.js';
import { jobSelectors } from '../../store/selectors.js';
import { progressFraction } from '../../store/speed.js';
import { useFerryStore } from '../../store/use-ferry-store.js';

/** Props of one row. */
export interface JobRowProps {
  readonly id: JobId;
  readonly top: number;
  readonly height: number;
  readonly onPointer: (id: JobId, event: MouseEvent) => void;
  readonly onMenu: (id: JobId, x: number, y: number) => void;
  readonly onOpen: (id: JobId) => void;
}

/**
 * One job in the list. It selects its own job, speed and selection flag by id, so a batch
 * re-renders only the rows whose job changed.
 */
export const JobRow = memo(function JobRow({
  id,
  top,
  height,
  onPointer,
  onMenu,
  onOpen,
}: JobRowProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const job = useFerryStore(jobSelectors.job(id));
  const speed = useFerryStore(jobSelectors.speed(id));
  const eta = useFerryStore(jobSelectors.eta(id));
  const selected = useFerryStore(jobSelectors.isSelected(id));
  const focused = useFerryStore((s) => s.focused === id);
  if (job === undefined) return null;
  const fraction = progressFraction(job);
  const { bytesTransferred, bytesTotal, filesTotal, filesTransferred } = job.progress;
  const done = formatBytes(bytesTransferred, locale);
  const size =
    bytesTotal === null
      ? `${done} / ${t('list.sizeUnknown')}`
      : `${done} / ${formatBytes(bytesTotal, locale)}`;
  const moving = job.state === 'TRANSFERRING' || job.state === 'CONNECTING';
  return (
    <div
      role="option"
      id={`job-${id}`}
      aria-selected={selected}
      data-job-id={id}
      data-state={job.state}
      className={`job-row ${selected ? 'selected' : ''} ${focused ? 'focused' : ''}`}
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={(event) => {
        onPointer(id, event);
      }}
      onDoubleClick={() => {
        onOpen(id);
      }}
      onContextMenu={(event) => {
        event.preventDefault();
        onMenu(id, event.clientX, event.clientY);
      }}
    >
      <div className="cell name">
        <span className="job-name" title={job.displayName}>
          {job.displayName}
        </span>
        {job.error !== null && (
          <span className="job-error" title={job.error.message}>
            {job.error.message}
          </span>
        )}
      </div>
      <div className="cell state">
        <StateBadge state={job.state} />
      </div>
      <div className="cell progress-cell">
        <ProgressBar
          fraction={fraction}
          label={t('list.progress', { name: job.displayName })}
          valueText={fraction === null ? size : formatPercent(fraction, locale)}
          tone={`state-${job.state.toLowerCase()}`}
        />
        <span className="percent">{fraction === null ? '' : formatPercent(fraction, locale)}</span>
      </div>
      <div className="cell size">{size}</div>
      <div className="cell speed">{moving ? formatSpeed(speed, locale) : ''}</div>
      <div className="cell eta">
        {eta === null ? '' : t('list.timeLeft', { time: formatDuration(eta, locale) })}
      </div>
      <div className="cell files">
        {t('list.files', { done: filesTransferred, total: filesTotal })}
      </div>
      <div className="cell priority">{t(`priorities.${job.priority}`)}</div>
    </div>
  );
});
