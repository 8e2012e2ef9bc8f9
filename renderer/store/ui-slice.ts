import type { SliceCreator } from './types.js';

/** Which dialog is open; the add dialog may come pre-filled from a drop or a paste. */
export type OpenDialog =
  | { readonly kind: 'none' }
  | { readonly kind: 'add'; readonly text: string }
  | { readonly kind: 'settings' };

/** A message shown at the bottom of the window until dismissed; text is already localised. */
export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly kind: 'info' | 'error';
}

/** Window-level UI state shared by distant components. */
export interface UiSlice {
  readonly dialog: OpenDialog;
  readonly notices: readonly Notice[];
  readonly pushNotice: (text: string, kind: Notice['kind']) => void;
  readonly dismissNotice: (id: number) => void;
  readonly openAddDialog: (text: string) => void;
  readonly openSettings: () => void;
  readonly closeDialog: () => void;
}

/** The UI slice. */
export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  dialog: { kind: 'none' },
  notices: [],
  pushNotice: (text, kind) => {
    set(
      (state) => ({
        // Keep the last few: a burst of failures must not bury the window.
        notices: [
          ...state.notices.slice(-4),
          { id: (state.notices.at(-1)?.id ?? 0) + 1, text, kind },
        ],
      }),
      false,
      'ui/pushNotice',
    );
  },
  dismissNotice: (id) => {
    set(
      (state) => ({ notices: state.notices.filter((n) => n.id !== id) }),
      false,
      'ui/dismissNotice',
    );
  },
  openAddDialog: (text) => {
    set({ dialog: { kind: 'add', text } }, false, 'ui/openAddDialog');
  },
  openSettings: () => {
    set({ dialog: { kind: 'settings' } }, false, 'ui/openSettings');
  },
  closeDialog: () => {
    set({ dialog: { kind: 'none' } }, false, 'ui/closeDialog');
  },
});
