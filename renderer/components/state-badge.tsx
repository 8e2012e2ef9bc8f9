import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobState } from '../../app/model/job-state.js';
import { formatCountdown, statusOf } from '../store/job-status.js';
import type { JobStatus } from '../store/job-status.js';
import { Icon } from './icons.js';
import { useNow } from './use-now.js';
import type { IconName } from './icons.js';

/** The icon of each status: distinct shapes, not only colours. */
export const STATUS_ICONS: Readonly<Record<JobStatus, IconName>> = {
  waiting: 'waiting',
  connecting: 'connecting',
  downloading: 'downloading',
  paused: 'paused',
  retrying: 'retrying',
  failed: 'failed',
  ready: 'ready',
  done: 'done',
  cancelled: 'cancelled',
};

/**
 * A retrying job's badge, counting down to the next attempt once a second; only such rows
 * carry a timer.
 */
export function CountdownBadge({
  state,
  retryTime,
}: {
  readonly state: JobState;
  readonly retryTime: number | null;
}) {
  const now = useNow(retryTime !== null);
  const retryIn = retryTime === null ? null : Math.max(0, Math.ceil((retryTime - now) / 1000));
  return <StateBadge state={state} retryIn={retryIn} />;
}

/**
 * A job state as a download manager words it: an SVG icon, a colour and a localised label
 * ("Downloading", "Paused", "Retrying in 4:32", "Done"). The BITS name is kept in
 * `data-state` for tests and in the details pane for the user.
 */
export const StateBadge = memo(function StateBadge({
  state,
  retryIn = null,
}: {
  readonly state: JobState;
  /** Seconds until the next retry of a retrying job, for the countdown. */
  readonly retryIn?: number | null;
}) {
  const { t } = useTranslation();
  const status = statusOf(state);
  const label =
    status === 'retrying' && retryIn !== null
      ? t('jobStatus.retryingIn', { time: formatCountdown(retryIn) })
      : t(`jobStatus.${status}`);
  return (
    <span
      className={`state-badge state-${state.toLowerCase()}`}
      data-state={state}
      data-status={status}
      title={label}
    >
      <Icon name={STATUS_ICONS[status]} className="state-icon" />
      <span className="state-label">{label}</span>
    </span>
  );
});
