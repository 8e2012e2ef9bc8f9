/** Slow start: more connections only while each step raised throughput by this factor. */
const GROWTH = 1.05;
/** Ticks to let new connections get going before their throughput is judged. */
const SETTLE_TICKS = 1;
/** Once ranges are known to work, slow start goes on from this many connections. */
export const INITIAL_CONNECTIONS = 4;

/**
 * How many connections one segmented file wants, as TCP's slow start grows a window: start
 * small, double while throughput keeps growing, stop growing when it does not, and step back
 * when the host says it is overloaded (429/503).
 *
 * The owner calls `observe` once per tick with the file's throughput; `target` is what it
 * should have open, never above the current maximum.
 */
export class SlowStart {
  private wanted: number;
  private ramping = true;
  private settle = SETTLE_TICKS;
  private lastRate = 0;

  constructor(first: number) {
    this.wanted = first;
  }

  /** Connections to keep open now, within `max`. */
  target(max: number): number {
    return Math.min(this.wanted, max);
  }

  /** A ranged answer arrived: go on from several connections at once, not two. */
  rangesWork(max: number): boolean {
    if (!this.ramping || this.wanted >= INITIAL_CONNECTIONS) return false;
    this.wanted = Math.min(INITIAL_CONNECTIONS, max);
    this.settle = SETTLE_TICKS;
    return true;
  }

  /** The host asked for less: stop growing (the caller lowers its cap). */
  backOff(): void {
    this.ramping = false;
  }

  /** One tick's throughput (bytes per second) with `open` connections and a maximum `max`. */
  observe(rate: number, open: number, max: number): void {
    if (!this.ramping || open < this.wanted) return;
    if (this.settle > 0) {
      this.settle--;
    } else if (rate > this.lastRate * GROWTH && this.wanted < max) {
      this.lastRate = rate;
      this.wanted = Math.min(max, this.wanted * 2);
      this.settle = SETTLE_TICKS;
    } else {
      this.ramping = false;
    }
  }

  /** The limit changed while running (a setting, the job's policy): probe again from here. */
  limitChanged(max: number): void {
    this.wanted = Math.min(this.wanted, max);
    this.ramping = this.wanted < max;
    this.settle = SETTLE_TICKS;
  }
}
