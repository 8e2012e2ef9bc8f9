import { useTranslation } from 'react-i18next';
import { JOB_STATES } from '../../../app/model/job-state.js';
import { StateBadge } from '../../components/state-badge.js';
import { formatNumber, formatSpeed } from '../../i18n/format.js';
import { jobSelectors } from '../../store/selectors.js';
import { useFerryStore } from '../../store/use-ferry-store.js';

/** Global speed and job counts by state. */
export function StatusBar() {
  const { t, i18n } = useTranslation();
  const counts = useFerryStore(jobSelectors.countByState);
  const speed = useFerryStore(jobSelectors.globalSpeed);
  const total = useFerryStore((s) => s.jobs.size);
  return (
    <footer className="status-bar" aria-label={t('status.label')}>
      <span className="global-speed">
        {t('status.speed', { speed: formatSpeed(speed, i18n.language) })}
      </span>
      <span>{t('status.jobs', { count: total })}</span>
      <ul className="state-counts">
        {JOB_STATES.filter((s) => counts[s] > 0).map((s) => (
          <li key={s} data-state={s}>
            <StateBadge state={s} /> {formatNumber(counts[s], i18n.language)}
          </li>
        ))}
      </ul>
    </footer>
  );
}
