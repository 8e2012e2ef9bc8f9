import type { StateCreator } from 'zustand';
import type { ConnectionSlice } from './connection-slice.js';
import type { FiltersSlice } from './filters-slice.js';
import type { JobsSlice } from './jobs-slice.js';
import type { SelectionSlice } from './selection-slice.js';
import type { SettingsSlice } from './settings-slice.js';
import type { UiSlice } from './ui-slice.js';

/** The whole renderer state: every slice side by side. */
export type FerryState = JobsSlice &
  SelectionSlice &
  FiltersSlice &
  SettingsSlice &
  ConnectionSlice &
  UiSlice;

/** How each slice is written: it sees the whole state and names its actions for devtools. */
export type SliceCreator<S> = StateCreator<FerryState, [['zustand/devtools', never]], [], S>;
