/** Props of a progress bar. */
export interface ProgressBarProps {
  /** Fraction done in [0, 1], or null when the total is unknown. */
  readonly fraction: number | null;
  /** Whether bytes are flowing: only then does an unknown total show a moving bar. */
  readonly moving?: boolean;
  readonly label: string;
  /** What a screen reader says, e.g. "42 %" or "1.2 MB, size unknown". */
  readonly valueText: string;
  readonly tone?: string;
}

/**
 * A progress bar with ARIA values that never pretends: a known total gives a still bar at its
 * real fraction, however the job stands; an unknown total gives a moving bar only while the
 * download moves, and no bar at all when it is stopped (never a misleading 0 % or a busy look).
 */
export function ProgressBar({ fraction, moving = true, label, valueText, tone }: ProgressBarProps) {
  if (fraction === null && !moving) return <div className="progress-none" aria-hidden="true" />;
  const percent = fraction === null ? undefined : Math.round(fraction * 1000) / 10;
  return (
    <div
      className={`progress ${tone ?? ''} ${fraction === null ? 'indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
    >
      <div
        className="progress-fill"
        style={percent === undefined ? undefined : { width: `${String(percent)}%` }}
      />
    </div>
  );
}
