import { memo } from 'react';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobId } from '../../../app/model/ids.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { CountdownBadge } from '../../components/state-badge.js';
import { formatBytes, formatDuration, formatPercent, formatSpeed } from '../../i18n/format.js';
import { isMoving } from '../../store/job-status.js';
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
 * One download in the list. It selects its own job, speed and selection flag by id, so a
 * batch re-renders only the rows whose job changed. Every cell truncates with an ellipsis and
 * carries its full text as a tooltip; in a narrow window the hidden columns' facts move to a
 * second line under the name.
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
  const moving = isMoving(job);
  const { bytesTransferred, bytesTotal, filesTotal, filesTransferred } = job.progress;
  const done = formatBytes(bytesTransferred, locale);
  const size =
    bytesTotal === null
      ? t('list.sizeOfUnknown', { done })
      : job.state === 'ACKNOWLEDGED' || bytesTransferred === bytesTotal
        ? formatBytes(bytesTotal, locale)
        : t('list.sizeOf', { done, total: formatBytes(bytesTotal, locale) });
  const speedText = moving ? formatSpeed(speed, locale) : '';
  const etaText = eta === null ? '' : t('list.timeLeft', { time: formatDuration(eta, locale) });
  const percent = fraction === null ? '' : formatPercent(fraction, locale);
  const files = t('list.files', { done: filesTransferred, count: filesTotal });
  const meta = [percent, size, speedText, etaText].filter((s) => s !== '').join(' · ');
  const priority = t(`priorities.${job.priority}`);
  return (
    <div
      role="option"
      id={`job-${id}`}
      aria-selected={selected}
      data-job-id={id}
      data-state={job.state}
      className={`job-row ${selected ? 'selected' : ''} ${focused ? 'focused' : ''}`}
      style={{ transform: `translateY(${String(top)}px)`, height }}
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
          {job.flavour === 'DO' && (
            <span className="flavour-badge" data-flavour="DO" title={t('flavours.badgeTitle')}>
              {t('flavours.badge')}
            </span>
          )}
          {job.displayName}
        </span>
        {job.error !== null && job.state !== 'ACKNOWLEDGED' && job.state !== 'CANCELLED' ? (
          <span className="job-error" title={job.error.message}>
            {job.error.message}
          </span>
        ) : (
          <span className="job-meta" title={meta}>
            {meta}
          </span>
        )}
      </div>
      <div className="cell state">
        <CountdownBadge
          state={job.state}
          retryTime={job.state === 'TRANSIENT_ERROR' ? job.times.retryTime : null}
        />
      </div>
      <div className="cell progress-cell">
        <ProgressBar
          fraction={fraction}
          moving={moving}
          label={t('list.progress', { name: job.displayName })}
          valueText={fraction === null ? size : percent}
          tone={`state-${job.state.toLowerCase()}`}
        />
        <span className="percent">{percent}</span>
      </div>
      <div className="cell size" title={size}>
        {size}
      </div>
      <div className="cell speed" title={speedText}>
        {speedText}
      </div>
      <div className="cell eta" title={etaText}>
        {etaText}
      </div>
      <div className="cell files" title={files}>
        {files}
      </div>
      <div className="cell priority" title={priority}>
        {priority}
      </div>
    </div>
  );
});
