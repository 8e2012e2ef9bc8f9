import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { FerryState, FerryStore } from './index.js';

/** The store the app renders; provided once at the root. */
export const FerryStoreContext = createContext<FerryStore | null>(null);

/** The store itself, for event handlers that read state without subscribing. */
export function useFerryStoreApi(): FerryStore {
  const store = useContext(FerryStoreContext);
  if (store === null) throw new Error('useFerryStore outside <FerryStoreContext>');
  return store;
}

/** Selects the narrowest value a component needs; it re-renders only when that changes. */
export function useFerryStore<T>(selector: (state: FerryState) => T): T {
  return useStore(useFerryStoreApi(), selector);
}
