import type { JobId } from '../../app/model/ids.js';
import type { SliceCreator } from './types.js';

/**
 * Which jobs are selected, and which one has the keyboard focus in the list.
 *
 * `anchor` is where a Shift-range starts, as in every file manager.
 */
export interface SelectionSlice {
  readonly selected: ReadonlySet<JobId>;
  readonly focused: JobId | null;
  readonly anchor: JobId | null;
  /** Select exactly this job (plain click). */
  readonly selectOnly: (id: JobId) => void;
  /** Add or remove one job (Ctrl/Cmd+click, Space). */
  readonly toggle: (id: JobId) => void;
  /** Select from the anchor to `id` in the list's current order (Shift+click). */
  readonly selectRange: (id: JobId, order: readonly JobId[]) => void;
  /** Select every listed job (Ctrl/Cmd+A). */
  readonly selectAll: (order: readonly JobId[]) => void;
  readonly clearSelection: () => void;
  /** Move the keyboard focus without changing the selection. */
  readonly focus: (id: JobId | null) => void;
}

/** The selection slice. */
export const createSelectionSlice: SliceCreator<SelectionSlice> = (set) => ({
  selected: new Set(),
  focused: null,
  anchor: null,
  selectOnly: (id) => {
    set({ selected: new Set([id]), focused: id, anchor: id }, false, 'selection/selectOnly');
  },
  toggle: (id) => {
    set(
      (state) => {
        const selected = new Set(state.selected);
        if (!selected.delete(id)) selected.add(id);
        return { selected, focused: id, anchor: id };
      },
      false,
      'selection/toggle',
    );
  },
  selectRange: (id, order) => {
    set(
      (state) => {
        const to = order.indexOf(id);
        const from = state.anchor === null ? -1 : order.indexOf(state.anchor);
        if (to === -1) return {};
        if (from === -1) return { selected: new Set([id]), focused: id, anchor: id };
        const [lo, hi] = from <= to ? [from, to] : [to, from];
        return { selected: new Set(order.slice(lo, hi + 1)), focused: id };
      },
      false,
      'selection/selectRange',
    );
  },
  selectAll: (order) => {
    set({ selected: new Set(order) }, false, 'selection/selectAll');
  },
  clearSelection: () => {
    set({ selected: new Set(), anchor: null }, false, 'selection/clear');
  },
  focus: (id) => {
    set({ focused: id }, false, 'selection/focus');
  },
});
