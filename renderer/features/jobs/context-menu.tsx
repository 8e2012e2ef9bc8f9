import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import { useTranslation } from 'react-i18next';
import type { JobId } from '../../../app/model/ids.js';
import { useClient } from '../../client/client-context.js';
import { jobSelectors } from '../../store/selectors.js';
import type { JobAction } from '../../store/selectors.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { runFileAction } from './file-actions.js';
import type { FileAction } from './file-actions.js';
import { useRequestAction } from './job-actions.js';

/** Where the menu opens and for which jobs. */
export interface MenuAt {
  readonly x: number;
  readonly y: number;
  readonly ids: readonly JobId[];
}

const STATE_ITEMS: readonly JobAction[] = ['resume', 'suspend', 'retry', 'complete'];
const ORDER_ITEMS: readonly JobAction[] = ['moveUp', 'moveDown'];

/**
 * The download context menu: Open file and Show in folder for a done download, the state
 * actions (enabled as in the toolbar), queue order, Copy URL, Re-download, Cancel, Remove from
 * list and Show details. Arrow keys move, Escape or a click elsewhere closes it.
 */
export function ContextMenu({
  at,
  onClose,
  onDetails,
}: {
  readonly at: MenuAt;
  readonly onClose: () => void;
  readonly onDetails: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const request = useRequestAction();
  const enabled = useFerryStore(useShallow(jobSelectors.enabledActions));
  const single = at.ids.length === 1 ? at.ids[0] : undefined;
  const singleState = useFerryStore((s) =>
    single === undefined ? null : (s.jobs.get(single)?.state ?? null),
  );
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
    const outside = (event: PointerEvent) => {
      if (!(event.target instanceof Node) || ref.current?.contains(event.target) !== true)
        onClose();
    };
    window.addEventListener('pointerdown', outside, true);
    return () => {
      window.removeEventListener('pointerdown', outside, true);
    };
  }, [onClose]);

  // Keep the menu inside the window, however close to an edge it was opened.
  useEffect(() => {
    const menu = ref.current;
    if (menu === null) return;
    const box = menu.getBoundingClientRect();
    if (box.right > window.innerWidth)
      menu.style.left = `${String(Math.max(0, window.innerWidth - box.width - 4))}px`;
    if (box.bottom > window.innerHeight)
      menu.style.top = `${String(Math.max(0, window.innerHeight - box.height - 4))}px`;
  }, [at]);

  const move = (delta: number) => {
    const items = [
      ...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? []),
    ];
    const i = items.findIndex((b) => b === document.activeElement);
    items[(i + delta + items.length) % items.length]?.focus();
  };

  const item = (
    key: string,
    label: string,
    disabled: boolean,
    run: () => void,
    extra?: string,
  ): ReactNode => (
    <button
      key={key}
      type="button"
      role="menuitem"
      data-action={key}
      className={extra}
      disabled={disabled}
      onClick={() => {
        onClose();
        run();
      }}
    >
      {label}
    </button>
  );
  const fileItem = (action: FileAction, disabled: boolean) =>
    item(action, t(`actions.${action}`), disabled || single === undefined, () => {
      if (single !== undefined) void runFileAction(client, store, action, single);
    });
  const jobItem = (action: JobAction, extra?: string) =>
    item(
      action,
      t(`actions.${action}`),
      !enabled[action],
      () => {
        request(action, at.ids);
      },
      extra,
    );
  const done = singleState === 'ACKNOWLEDGED';

  // A portal: the list is a size container, which would offset a fixed menu inside it.
  return createPortal(
    <div
      ref={ref}
      role="menu"
      aria-label={t('menu.label')}
      className="context-menu"
      style={{ left: at.x, top: at.y }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
        else if (event.key === 'ArrowDown') move(1);
        else if (event.key === 'ArrowUp') move(-1);
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      {fileItem('openFile', !done)}
      {fileItem('showInFolder', !done)}
      <hr />
      {STATE_ITEMS.map((a) => jobItem(a))}
      {ORDER_ITEMS.map((a) => jobItem(a))}
      <hr />
      {fileItem('copyUrl', false)}
      {fileItem('redownload', false)}
      <hr />
      {jobItem('cancel', 'danger-text')}
      {jobItem('remove', 'danger-text')}
      {item('details', t('menu.details'), at.ids.length !== 1, onDetails)}
    </div>,
    document.body,
  );
}
