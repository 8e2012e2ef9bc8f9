import { useTranslation } from 'react-i18next';
import { useFerryStore } from '../../store/use-ferry-store.js';

/**
 * Says when the link to the engine is down. The client reconnects by itself and the job
 * mirror re-syncs, so the banner only informs.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useFerryStore((s) => s.connection);
  const ever = useFerryStore((s) => s.everConnected);
  if (connection === 'open') return null;
  return (
    <div className={`banner ${ever ? 'lost' : ''}`} role="alert" data-connection={connection}>
      {t(ever ? 'connection.lost' : 'connection.connecting')}
    </div>
  );
}
