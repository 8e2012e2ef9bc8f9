import type { StateGroup } from './state-groups.js';
import type { SliceCreator } from './types.js';

/** Keys the job list can be sorted by. */
export const SORT_KEYS = ['added', 'name', 'progress', 'speed', 'priority'] as const;
/** One sort key. */
export type SortKey = (typeof SORT_KEYS)[number];
/** Sort direction. */
export type SortDirection = 'asc' | 'desc';

/** What the job list shows and in which order. */
export interface FiltersSlice {
  readonly group: StateGroup;
  /** Free text matched against display names and remote URLs, case-insensitively. */
  readonly search: string;
  readonly sortKey: SortKey;
  readonly sortDirection: SortDirection;
  readonly setGroup: (group: StateGroup) => void;
  readonly setSearch: (search: string) => void;
  /** Sort by `key`; choosing the current key again flips the direction. */
  readonly sortBy: (key: SortKey) => void;
}

/** The filters slice. */
export const createFiltersSlice: SliceCreator<FiltersSlice> = (set) => ({
  group: 'all',
  search: '',
  sortKey: 'added',
  sortDirection: 'asc',
  setGroup: (group) => {
    set({ group }, false, 'filters/setGroup');
  },
  setSearch: (search) => {
    set({ search }, false, 'filters/setSearch');
  },
  sortBy: (key) => {
    set(
      (state) =>
        state.sortKey === key
          ? { sortDirection: state.sortDirection === 'asc' ? 'desc' : 'asc' }
          : { sortKey: key, sortDirection: key === 'name' || key === 'added' ? 'asc' : 'desc' },
      false,
      'filters/sortBy',
    );
  },
});
