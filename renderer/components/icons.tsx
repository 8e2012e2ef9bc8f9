/**
 * The window's icons as inline SVG paths (24×24 grid, stroked with the current colour), so
 * they render the same on Linux, Windows and macOS: font glyphs such as ⏸ or ✔ depend on the
 * fonts installed and showed as empty boxes on some systems.
 */
const PATHS = {
  waiting: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M12 7v5l3 2',
  connecting: 'M4 9h13l-3-3M20 15H7l3 3',
  downloading: 'M12 4v12M7 11l5 5l5-5M5 20h14',
  paused: 'M9 5v14M15 5v14',
  failed: 'M12 3l10 18H2zM12 10v5M12 18v.5',
  retrying: 'M20 11a8 8 0 1 0-2.3 5.7M20 5v6h-6',
  ready: 'M5 19h14M12 4v10M8 10l4 4l4-4M9 19v-2h6v2',
  done: 'M4 12l5 5L20 6',
  cancelled: 'M6 6l12 12M18 6L6 18',
  add: 'M12 5v14M5 12h14',
  start: 'M7 5l12 7l-12 7z',
  pause: 'M9 5v14M15 5v14',
  remove: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  settings:
    'M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9L7 7M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1',
  more: 'M5 12h.5M12 12h.5M19 12h.5',
  clear: 'M4 6h16M4 12h10M4 18h6M16 16l4 4M20 16l-4 4',
  folder: 'M3 6h6l2 2h10v11H3z',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  up: 'M12 19V5M6 11l6-6l6 6',
  down: 'M12 5v14M6 13l6 6l6-6',
  speed: 'M4 18a8 8 0 1 1 16 0M12 18l4-6',
} as const;

/** The name of one icon. */
export type IconName = keyof typeof PATHS;

/** One icon; decorative (hidden from screen readers) since its button or badge has a label. */
export function Icon({
  name,
  className,
}: {
  readonly name: IconName;
  readonly className?: string;
}) {
  return (
    <svg
      className={`icon ${className ?? ''}`}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      data-icon={name}
    >
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
