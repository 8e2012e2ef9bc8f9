import { useEffect } from 'react';
import { useClient } from '../../client/client-context.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';

/**
 * "Download all links with Ferry" in a paired browser: the links arrive as an `addRequested`
 * event and open the Add dialog pre-filled, where the user picks the folder and starts them.
 */
export function useAddRequests(): void {
  const { client } = useClient();
  const store = useFerryStoreApi();
  useEffect(
    () =>
      client.on('addRequested', (payload) => {
        store.getState().openAddDialog(payload.urls.join('\n'));
      }),
    [client, store],
  );
}
