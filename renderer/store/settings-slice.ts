import type { EngineHostInfo, SettingsView } from '../../app/contract.js';
import type { SliceCreator } from './types.js';

/** The host's settings and who the host is, as last fetched. */
export interface SettingsSlice {
  readonly settings: SettingsView | null;
  readonly hostInfo: EngineHostInfo | null;
  readonly settingsLoaded: (settings: SettingsView) => void;
  readonly hostInfoLoaded: (info: EngineHostInfo) => void;
}

/** The settings slice. */
export const createSettingsSlice: SliceCreator<SettingsSlice> = (set) => ({
  settings: null,
  hostInfo: null,
  settingsLoaded: (settings) => {
    set({ settings }, false, 'settings/loaded');
  },
  hostInfoLoaded: (hostInfo) => {
    set({ hostInfo }, false, 'settings/hostInfoLoaded');
  },
});
