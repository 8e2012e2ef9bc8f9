import type { StateGroup } from './state-groups.js';
import type { SliceCreator } from './types.js';

/** Keys the job list can be sorted by. */
export const SORT_KEYS = [
  'added',
  'name',
  'status',
  'progress',
  'size',
  'speed',
  'timeLeft',
  'files',
  'priority',
] as const;
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
  /**
   * Sort by `key` (a column header): a first click sorts, a second flips the direction, a
   * third goes back to the order downloads were added in.
   */
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
      (state) => {
        const first: SortDirection =
          key === 'name' || key === 'added' || key === 'timeLeft' ? 'asc' : 'desc';
        if (state.sortKey !== key) return { sortKey: key, sortDirection: first };
        if (key !== 'added' && state.sortDirection !== first) {
          return { sortKey: 'added', sortDirection: 'asc' };
        }
        return { sortDirection: state.sortDirection === 'asc' ? 'desc' : 'asc' };
      },
      false,
      'filters/sortBy',
    );
  },
});
