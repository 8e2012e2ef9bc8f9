import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import { useTranslation } from 'react-i18next';
import type { JobId } from '../../../app/model/ids.js';
import { JOB_ACTIONS } from '../../store/selectors.js';
import { jobSelectors } from '../../store/selectors.js';
import { useFerryStore } from '../../store/use-ferry-store.js';
import { useRequestAction } from './job-actions.js';

/** Where the menu opens and for which jobs. */
export interface MenuAt {
  readonly x: number;
  readonly y: number;
  readonly ids: readonly JobId[];
}

/**
 * The job context menu: the same four actions as the toolbar, enabled the same way, plus
 * "show details". Arrow keys move, Escape or a click elsewhere closes it.
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
  const request = useRequestAction();
  const enabled = useFerryStore(useShallow(jobSelectors.enabledActions));
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

  const move = (delta: number) => {
    const items = [
      ...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? []),
    ];
    const i = items.findIndex((b) => b === document.activeElement);
    items[(i + delta + items.length) % items.length]?.focus();
  };

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
      {JOB_ACTIONS.map((action) => (
        <button
          key={action}
          type="button"
          role="menuitem"
          disabled={!enabled[action]}
          onClick={() => {
            onClose();
            request(action, at.ids);
          }}
        >
          {t(`toolbar.${action}`)}
        </button>
      ))}
      <button
        type="button"
        role="menuitem"
        disabled={at.ids.length !== 1}
        onClick={() => {
          onClose();
          onDetails();
        }}
      >
        {t('menu.details')}
      </button>
    </div>,
    document.body,
  );
}
