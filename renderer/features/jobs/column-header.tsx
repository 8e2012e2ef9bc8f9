import type { PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SortKey } from '../../store/filters-slice.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { COLUMNS } from './column-widths.js';
import type { Column } from './column-widths.js';

/**
 * The list's column headers: a click sorts by the column (again flips, a third time returns
 * to the order added), the edge between two headers drags to resize. Labels truncate with an
 * ellipsis and keep their full text as a tooltip.
 */
export function ColumnHeader({
  onResize,
}: {
  readonly onResize: (column: Exclude<Column, 'name'>, width: number) => void;
}) {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const sortKey = useFerryStore((s) => s.sortKey);
  const direction = useFerryStore((s) => s.sortDirection);

  const startResize = (column: Exclude<Column, 'name'>, event: ReactPointerEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const cell = (event.currentTarget as HTMLElement).parentElement;
    if (cell === null) return;
    const startX = event.clientX;
    const startWidth = cell.getBoundingClientRect().width;
    const move = (e: PointerEvent) => {
      onResize(column, startWidth + (e.clientX - startX));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  return (
    <div className="job-header">
      {COLUMNS.map((column) => {
        const key: SortKey = column;
        const label = t(`list.columns.${column}`);
        const sorted = sortKey === key;
        const state = sorted ? t(`sort.${direction}`) : t('sort.none');
        return (
          <div key={column} className={`col col-${column}`} data-column={column}>
            <button
              type="button"
              className="sort-button"
              data-sorted={sorted ? direction : undefined}
              title={`${label} — ${state}`}
              aria-label={t('sort.by', { column: label, state })}
              onClick={() => {
                store.getState().sortBy(key);
              }}
            >
              <span className="col-label">{label}</span>
              {sorted && <span aria-hidden="true">{direction === 'asc' ? ' ▲' : ' ▼'}</span>}
            </button>
            {column !== 'name' && (
              <span
                className="col-resize"
                role="separator"
                aria-orientation="vertical"
                aria-label={t('list.resize', { column: label })}
                onPointerDown={(event) => {
                  startResize(column, event);
                }}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}
