import { useTranslation } from 'react-i18next';
import type { JobState } from '../../app/model/job-state.js';

/** One icon per state; the colour comes from the `state-*` class in styles.css. */
const ICONS: Readonly<Record<JobState, string>> = {
  QUEUED: '◷',
  CONNECTING: '⇄',
  TRANSFERRING: '↓',
  SUSPENDED: '⏸',
  ERROR: '⚠',
  TRANSIENT_ERROR: '↻',
  TRANSFERRED: '✓',
  ACKNOWLEDGED: '✔',
  CANCELLED: '✕',
};

/** A job state as icon, colour and localised label. */
export function StateBadge({ state }: { readonly state: JobState }) {
  const { t } = useTranslation();
  return (
    <span className={`state-badge state-${state.toLowerCase()}`} data-state={state}>
      <span className="state-icon" aria-hidden="true">
        {ICONS[state]}
      </span>
      <span className="state-label">{t(`states.${state}`)}</span>
    </span>
  );
}
