import type { FerryClient } from '../../app/contract.js';
import { createJobMirror } from '../../app/job-mirror.js';
import type { FerryStore } from '../store/index.js';

/** What a running feed can be asked to do. */
export interface Feed {
  /** Fetch the settings again (after a settings.set elsewhere, or on demand). */
  refreshSettings(): Promise<void>;
  stop(): void;
}

/**
 * Feeds the store from a client: connection state, the job mirror (one store update per
 * applied batch) and, on every (re)connect, the settings and host info.
 *
 * History jobs are mirrored too, so the History filter needs no extra request.
 */
export function startFeed(client: FerryClient, store: FerryStore): Feed {
  const refreshSettings = async (): Promise<void> => {
    const [settings, info] = await Promise.all([
      client.invoke('settings.get', {}),
      client.invoke('engine.info', {}),
    ]);
    store.getState().settingsLoaded(settings);
    store.getState().hostInfoLoaded(info);
  };
  const offConnection = client.onConnection((state) => {
    store.getState().setConnection(state);
    if (state === 'open') refreshSettings().catch(() => undefined);
  });
  const mirror = createJobMirror(client, { includeHistory: true }, (update) => {
    store.getState().applyBatch(update.jobs, Date.now());
  });
  return {
    refreshSettings,
    stop() {
      mirror.stop();
      offConnection();
    },
  };
}
