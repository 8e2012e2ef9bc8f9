import type { SliceCreator } from './types.js';

/** Which dialog is open; the add dialog may come pre-filled from a drop or a paste. */
export type OpenDialog =
  | { readonly kind: 'none' }
  | { readonly kind: 'add'; readonly text: string }
  | { readonly kind: 'settings' };

/** Values a message's text is built from (translated when shown, not when made). */
export type NoticeParams = Readonly<Record<string, string | number>>;

/**
 * A message at the bottom of the window: an i18n key and its values, so it is translated when
 * shown and follows a language change. Info messages go away after a few seconds; `sticky`
 * ones (they need the user) stay until dismissed.
 */
export interface Notice {
  readonly id: number;
  readonly key: string;
  readonly params: NoticeParams;
  readonly kind: 'info' | 'error';
  readonly sticky: boolean;
}

/** What `pushNotice` takes. */
export interface NoticeInput {
  readonly key: string;
  readonly params?: NoticeParams;
  readonly kind: Notice['kind'];
  readonly sticky?: boolean;
  /**
   * Merge into a shown message with the same key by adding up `params.count` ("3 downloads
   * failed" rather than three messages).
   */
  readonly group?: boolean;
}

/** Window-level UI state shared by distant components. */
export interface UiSlice {
  readonly dialog: OpenDialog;
  readonly notices: readonly Notice[];
  readonly pushNotice: (notice: NoticeInput) => void;
  readonly dismissNotice: (id: number) => void;
  readonly openAddDialog: (text: string) => void;
  readonly openSettings: () => void;
  readonly closeDialog: () => void;
}

/** The UI slice. */
export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  dialog: { kind: 'none' },
  notices: [],
  pushNotice: (input) => {
    set(
      (state) => {
        const id = (state.notices.at(-1)?.id ?? 0) + 1;
        const params = input.params ?? {};
        const same =
          input.group === true
            ? state.notices.find((n) => n.key === input.key && n.kind === input.kind)
            : undefined;
        if (same !== undefined) {
          const count = Number(same.params.count ?? 0) + Number(params.count ?? 0);
          // The merged message moves to the end with a new id, so its timer starts again.
          return {
            notices: [
              ...state.notices.filter((n) => n !== same),
              { ...same, id, params: { ...params, count } },
            ],
          };
        }
        const notice: Notice = {
          id,
          key: input.key,
          params,
          kind: input.kind,
          sticky: input.sticky ?? false,
        };
        // Keep the last few: a burst of messages must not bury the window.
        return { notices: [...state.notices.slice(-2), notice] };
      },
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
