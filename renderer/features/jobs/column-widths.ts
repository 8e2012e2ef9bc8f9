import { useCallback, useState } from 'react';

/** The list's columns, in order; `name` takes whatever width is left. */
export const COLUMNS = [
  'name',
  'status',
  'progress',
  'size',
  'speed',
  'timeLeft',
  'files',
  'priority',
] as const;

/** One column. */
export type Column = (typeof COLUMNS)[number];

/** Widths in pixels of the columns the user can resize. */
export type ColumnWidths = Readonly<Record<Exclude<Column, 'name'>, number>>;

/** Starting widths: enough for English and French labels at 1280 px. */
export const DEFAULT_WIDTHS: ColumnWidths = {
  status: 170,
  progress: 170,
  size: 150,
  speed: 90,
  timeLeft: 120,
  files: 90,
  priority: 90,
};

const STORAGE_KEY = 'ferry.columnWidths';
const MIN_WIDTH = 48;
const MAX_WIDTH = 600;

function load(): ColumnWidths {
  try {
    const raw: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return DEFAULT_WIDTHS;
    const out: Record<string, number> = { ...DEFAULT_WIDTHS };
    for (const key of Object.keys(DEFAULT_WIDTHS)) {
      const v: unknown = (raw as Record<string, unknown>)[key];
      if (typeof v === 'number' && Number.isFinite(v)) out[key] = clamp(v);
    }
    return out as ColumnWidths;
  } catch {
    return DEFAULT_WIDTHS;
  }
}

function clamp(width: number): number {
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)));
}

/**
 * Column widths the user set by dragging a header's edge, kept in this browser's storage, and
 * applied as CSS variables on the list (`--w-status`, …) so rows and header share one grid.
 */
export function useColumnWidths(): {
  readonly style: Readonly<Record<string, string>>;
  readonly resize: (column: Exclude<Column, 'name'>, width: number) => void;
} {
  const [widths, setWidths] = useState<ColumnWidths>(load);
  const resize = useCallback((column: Exclude<Column, 'name'>, width: number) => {
    setWidths((prev) => {
      const next = { ...prev, [column]: clamp(width) };
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // Storage refused: the width holds for this page.
      }
      return next;
    });
  }, []);
  const style: Record<string, string> = {};
  for (const [key, value] of Object.entries(widths)) style[`--w-${key}`] = `${String(value)}px`;
  return { style, resize };
}
