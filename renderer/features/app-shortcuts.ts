import { useEffect } from 'react';
import type { FerryStore } from '../store/index.js';
import type { JobAction } from '../store/selectors.js';
import type { RequestAction } from './jobs/job-actions.js';

const KEY_ACTIONS: Readonly<Record<string, JobAction>> = {
  s: 'suspend',
  r: 'resume',
  c: 'complete',
  Delete: 'cancel',
};

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * Window-wide single-key shortcuts (N add, / search, S/R/C/Delete on the selection), ignored
 * while typing in a field, with a modifier held, or while a dialog is open.
 */
export function useAppShortcuts(store: FerryStore, request: RequestAction): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const state = store.getState();
      if (state.dialog.kind !== 'none' || document.querySelector('dialog[open]') !== null) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (key === 'n') {
        state.openAddDialog('');
      } else if (key === '/') {
        document.getElementById('job-search')?.focus();
      } else {
        const action = KEY_ACTIONS[key];
        if (action === undefined || state.selected.size === 0) return;
        request(action, [...state.selected]);
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [store, request]);
}
