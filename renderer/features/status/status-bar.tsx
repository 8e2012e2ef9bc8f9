import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useClient } from '../../client/client-context.js';
import { Icon } from '../../components/icons.js';
import { formatNumber, formatSpeed } from '../../i18n/format.js';
import { jobSelectors } from '../../store/selectors.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';

/**
 * One line at the bottom: total speed, how many downloads run, wait and failed, how many rows
 * are selected, and a toggle for the speed limit (the preset from the settings). Parts give
 * way from the right in a narrow window rather than wrapping.
 */
export function StatusBar() {
  const { t, i18n } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const locale = i18n.language;
  const counts = useFerryStore(jobSelectors.countByState);
  const speed = useFerryStore(jobSelectors.globalSpeed);
  const selected = useFerryStore(jobSelectors.selectedCount);
  const limits = useFerryStore(
    useShallow((s) => ({
      limit: s.settings?.engine.speedLimit ?? 0,
      preset: s.settings?.app.speedLimitPreset ?? 0,
      loaded: s.settings !== null,
    })),
  );
  const running = counts.TRANSFERRING + counts.CONNECTING;
  const waiting = counts.QUEUED + counts.TRANSIENT_ERROR;
  const limited = limits.limit > 0;
  const toggle = () => {
    client
      .invoke('settings.set', { engine: { speedLimit: limited ? 0 : limits.preset } })
      .then((next) => {
        store.getState().settingsLoaded(next);
      })
      .catch((error: unknown) => {
        store.getState().pushNotice({
          key: 'notices.failed',
          params: {
            action: 'status.speedLimit',
            message: error instanceof Error ? error.message : String(error),
          },
          kind: 'error',
        });
      });
  };
  return (
    <footer className="status-bar" aria-label={t('status.label')}>
      <span
        className="global-speed"
        title={t('status.speed', { speed: formatSpeed(speed, locale) })}
      >
        <Icon name="downloading" /> {formatSpeed(speed, locale)}
      </span>
      <button
        type="button"
        className="limit-toggle"
        aria-pressed={limited}
        disabled={!limits.loaded}
        title={t('status.limitHint')}
        onClick={toggle}
      >
        <Icon name="speed" />{' '}
        {limited
          ? t('status.limitOn', { speed: formatSpeed(limits.limit, locale) })
          : t('status.limitOff')}
      </button>
      <span className="counts">
        {t('status.running', { count: running, n: formatNumber(running, locale) })}
        {waiting > 0 &&
          ` · ${t('status.waiting', { count: waiting, n: formatNumber(waiting, locale) })}`}
        {counts.ERROR > 0 &&
          ` · ${t('status.failed', { count: counts.ERROR, n: formatNumber(counts.ERROR, locale) })}`}
      </span>
      <span className="selection" aria-live="polite">
        {selected > 0 &&
          t('status.selected', { count: selected, n: formatNumber(selected, locale) })}
      </span>
    </footer>
  );
}
