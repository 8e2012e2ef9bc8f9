import { createContext, useContext } from 'react';
import type { FerryClient } from '../../app/contract.js';
import type { Feed } from './feed.js';

/** The contract client and its feed, provided once at the root. */
export interface ClientHandle {
  readonly client: FerryClient;
  readonly feed: Feed;
}

/** Context carrying the client; components never pick or build one themselves. */
export const ClientContext = createContext<ClientHandle | null>(null);

/** The client the UI talks to. */
export function useClient(): ClientHandle {
  const handle = useContext(ClientContext);
  if (handle === null) throw new Error('useClient outside <ClientContext>');
  return handle;
}
