import { useEffect, useState } from 'react';
import type { PairingsView } from '../../../app/browser.js';
import { useClient } from '../../client/client-context.js';

/**
 * The browser extensions waiting for an answer and those paired, kept current: subscribes to
 * `pairingsChanged` first, then reads `browser.pairings`, so no change falls in between.
 */
export function usePairings(): PairingsView | null {
  const { client } = useClient();
  const [view, setView] = useState<PairingsView | null>(null);
  useEffect(() => {
    let live = true;
    const stop = client.on('pairingsChanged', (payload) => {
      setView(payload.pairings);
    });
    const stopConnection = client.onConnection((state) => {
      if (state !== 'open') return;
      client.invoke('browser.pairings', {}).then(
        (current) => {
          if (live) setView(current);
        },
        () => undefined,
      );
    });
    return () => {
      live = false;
      stop();
      stopConnection();
    };
  }, [client]);
  return view;
}
