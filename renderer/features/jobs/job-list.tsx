import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { JobId } from '../../../app/model/ids.js';
import { jobSelectors } from '../../store/selectors.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { ContextMenu } from './context-menu.js';
import type { MenuAt } from './context-menu.js';
import { ColumnHeader } from './column-header.js';
import { useColumnWidths } from './column-widths.js';
import { JobRow } from './job-row.js';
import { runFileAction } from './file-actions.js';
import { useRequestAction } from './job-actions.js';
import { useClient } from '../../client/client-context.js';

/** Height of one row in pixels: fixed, so 10,000 rows cost only the visible ones. */
export const ROW_HEIGHT = 52;

/**
 * The virtualised job list: a multi-select listbox that only mounts the rows in view.
 *
 * Keyboard: arrows and Home/End move (Shift extends), Space toggles, Ctrl/Cmd+A selects all,
 * Enter opens the details, Shift+F10 or the menu key opens the context menu, Alt+Up/Down moves
 * the selection in the queue, Ctrl/Cmd+C copies the focused download's URL.
 */
export function JobList({ onOpenDetails }: { readonly onOpenDetails: () => void }) {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const ids = useFerryStore(useShallow(jobSelectors.visibleIds));
  const focused = useFerryStore((s) => s.focused);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const columns = useColumnWidths();
  const request = useRequestAction();
  const { client } = useClient();

  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => ids[index] ?? index,
  });

  const onPointer = useCallback(
    (id: JobId, event: MouseEvent) => {
      const state = store.getState();
      if (event.shiftKey) state.selectRange(id, jobSelectors.visibleIds(state));
      else if (event.ctrlKey || event.metaKey) state.toggle(id);
      else state.selectOnly(id);
      scrollRef.current?.focus({ preventScroll: true });
    },
    [store],
  );

  const onMenu = useCallback(
    (id: JobId, x: number, y: number) => {
      const state = store.getState();
      if (!state.selected.has(id)) state.selectOnly(id);
      setMenu({ x, y, ids: [...store.getState().selected] });
    },
    [store],
  );

  const onOpen = useCallback(
    (id: JobId) => {
      store.getState().selectOnly(id);
      onOpenDetails();
    },
    [store, onOpenDetails],
  );

  const moveTo = (index: number, extend: boolean) => {
    const id = ids[Math.max(0, Math.min(ids.length - 1, index))];
    if (id === undefined) return;
    const state = store.getState();
    if (extend) state.selectRange(id, ids);
    else state.selectOnly(id);
    virtualizer.scrollToIndex(ids.indexOf(id));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const state = store.getState();
    const at = focused === null ? -1 : ids.indexOf(focused);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const mod = event.ctrlKey || event.metaKey;
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      // Alt+Up/Down: move the selection up or down the queue (priority order).
      request(event.key === 'ArrowUp' ? 'moveUp' : 'moveDown', [...state.selected]);
      event.preventDefault();
      return;
    }
    if (mod && (event.key === 'c' || event.key === 'C') && focused !== null) {
      void runFileAction(client, store, 'copyUrl', focused);
      event.preventDefault();
      return;
    }
    switch (event.key) {
      case 'ArrowDown':
        moveTo(at + 1, event.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(at === -1 ? 0 : at - 1, event.shiftKey);
        break;
      case 'PageDown':
        moveTo(at + page, event.shiftKey);
        break;
      case 'PageUp':
        moveTo(at - page, event.shiftKey);
        break;
      case 'Home':
        moveTo(0, event.shiftKey);
        break;
      case 'End':
        moveTo(ids.length - 1, event.shiftKey);
        break;
      case ' ':
        if (focused !== null) state.toggle(focused);
        else moveTo(0, false);
        break;
      case 'Enter':
        if (focused !== null) onOpen(focused);
        break;
      case 'Escape':
        state.clearSelection();
        break;
      case 'a':
      case 'A':
        if (!mod) return;
        state.selectAll(ids);
        break;
      case 'ContextMenu':
      case 'F10': {
        if (event.key === 'F10' && !event.shiftKey) return;
        const row = focused === null ? null : document.getElementById(`job-${focused}`);
        const box = (row ?? event.currentTarget).getBoundingClientRect();
        if (focused !== null && !state.selected.has(focused)) state.selectOnly(focused);
        setMenu({
          x: box.left + 24,
          y: box.top + box.height / 2,
          ids: [...store.getState().selected],
        });
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <section className="job-list" aria-label={t('list.label')} style={columns.style}>
      <ColumnHeader onResize={columns.resize} />
      <div
        ref={scrollRef}
        className="job-scroll"
        role="listbox"
        id="job-list"
        aria-label={t('list.label')}
        aria-multiselectable="true"
        aria-activedescendant={
          focused !== null && ids.includes(focused) ? `job-${focused}` : undefined
        }
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        {ids.length === 0 ? (
          <p className="empty">{t('list.empty')}</p>
        ) : (
          <div className="job-canvas" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const id = ids[item.index];
              return id === undefined ? null : (
                <JobRow
                  key={id}
                  id={id}
                  top={item.start}
                  height={item.size}
                  onPointer={onPointer}
                  onMenu={onMenu}
                  onOpen={onOpen}
                />
              );
            })}
          </div>
        )}
      </div>
      {menu !== null && (
        <ContextMenu
          at={menu}
          onClose={() => {
            setMenu(null);
            scrollRef.current?.focus({ preventScroll: true });
          }}
          onDetails={onOpenDetails}
        />
      )}
    </section>
  );
}
