import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';

/** How long an info or error message that needs nothing from the user stays, in ms. */
export const NOTICE_TIMEOUT_MS = 6_000;

/**
 * Messages from actions and downloads, translated as they are shown (so they follow a
 * language change) and dismissed after a few seconds unless sticky. Each can be dismissed.
 */
export function Notices() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const notices = useFerryStore((s) => s.notices);

  // One timer per message, started when it first shows (a merged message has a new id).
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const live = new Set(notices.map((n) => n.id));
    for (const [id, timer] of timers.current) {
      if (!live.has(id)) {
        clearTimeout(timer);
        timers.current.delete(id);
      }
    }
    for (const n of notices) {
      if (n.sticky || timers.current.has(n.id)) continue;
      timers.current.set(
        n.id,
        setTimeout(() => {
          timers.current.delete(n.id);
          store.getState().dismissNotice(n.id);
        }, NOTICE_TIMEOUT_MS),
      );
    }
  }, [notices, store]);
  useEffect(() => {
    const map = timers.current;
    return () => {
      for (const timer of map.values()) clearTimeout(timer);
      map.clear();
    };
  }, []);

  return (
    <div className="notices" role="log" aria-live="polite" aria-label={t('notices.label')}>
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} data-key={n.key}>
          <span>{t(n.key, n.params)}</span>
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
