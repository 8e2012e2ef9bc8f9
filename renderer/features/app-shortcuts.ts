import { useEffect } from 'react';
import type { FerryStore } from '../store/index.js';
import type { JobAction } from '../store/selectors.js';
import type { RequestAction } from './jobs/job-actions.js';

/** Single keys and the actions they run on the selection (toolbar tooltips name them). */
const KEY_ACTIONS: Readonly<Record<string, readonly JobAction[]>> = {
  r: ['resume', 'retry'],
  p: ['suspend'],
  s: ['suspend'],
  c: ['complete'],
  Delete: ['remove'],
  'Shift+Delete': ['cancel'],
};

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * Window-wide single-key shortcuts (N add, / search; R resume or retry, P pause, C save files,
 * Delete remove from list, Shift+Delete cancel on the selection), ignored while typing in a
 * field, with Ctrl/Cmd/Alt held, or while a dialog is open.
 */
export function useAppShortcuts(store: FerryStore, request: RequestAction): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const state = store.getState();
      if (state.dialog.kind !== 'none' || document.querySelector('dialog[open]') !== null) return;
      const base = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const key = event.shiftKey && base === 'Delete' ? 'Shift+Delete' : base;
      if (key === 'n') {
        state.openAddDialog('');
      } else if (key === '/') {
        document.getElementById('job-search')?.focus();
      } else {
        const actions = KEY_ACTIONS[key];
        if (actions === undefined || state.selected.size === 0) return;
        for (const action of actions) request(action, [...state.selected]);
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [store, request]);
}
