import { useTranslation } from 'react-i18next';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';

/** Messages from actions (failures, what was added), each dismissable. */
export function Notices() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const notices = useFerryStore((s) => s.notices);
  return (
    <div className="notices" role="log" aria-live="polite" aria-label={t('notices.label')}>
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`}>
          <span>{n.text}</span>
          <button
            type="button"
            aria-label={t('notices.dismiss')}
            onClick={() => {
              store.getState().dismissNotice(n.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
