/** Props of a progress bar. */
export interface ProgressBarProps {
  /** Fraction done in [0, 1], or null when the total is unknown (indeterminate). */
  readonly fraction: number | null;
  readonly label: string;
  /** What a screen reader says, e.g. "42 %" or "1.2 MB, size unknown". */
  readonly valueText: string;
  readonly tone?: string;
}

/**
 * A progress bar with ARIA values; an unknown total gives a moving indeterminate bar with no
 * aria-valuenow, never a misleading 0 %.
 */
export function ProgressBar({ fraction, label, valueText, tone }: ProgressBarProps) {
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
        style={percent === undefined ? undefined : { width: `${percent}%` }}
      />
    </div>
  );
}
