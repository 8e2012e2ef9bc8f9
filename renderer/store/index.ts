import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { devtools } from 'zustand/middleware';
import { createConnectionSlice } from './connection-slice.js';
import { createFiltersSlice } from './filters-slice.js';
import { createJobsSlice } from './jobs-slice.js';
import { createSelectionSlice } from './selection-slice.js';
import { createSettingsSlice } from './settings-slice.js';
import { createUiSlice } from './ui-slice.js';
import type { FerryState } from './types.js';

export type { FerryState } from './types.js';

/** The renderer's store: a vanilla zustand store, so the client feed and tests use it too. */
export type FerryStore = StoreApi<FerryState>;

/**
 * Creates the one renderer store with every slice.
 *
 * Middlewares wrap the combined store only, devtools last; devtools does nothing unless the
 * Redux DevTools extension is present.
 */
export function createFerryStore(): FerryStore {
  return createStore<FerryState>()(
    devtools(
      (...a) => ({
        ...createJobsSlice(...a),
        ...createSelectionSlice(...a),
        ...createFiltersSlice(...a),
        ...createSettingsSlice(...a),
        ...createConnectionSlice(...a),
        ...createUiSlice(...a),
      }),
      { name: 'ferry' },
    ),
  );
}
