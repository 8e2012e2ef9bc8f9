/**
 * A step (doubling the connections) is kept going only when it raised throughput by at least
 * this factor. Doubling under a per-connection limit (a server's `limit_rate`) nearly doubles
 * throughput; against a shared bottleneck it adds nothing; 1.25 stays clear of the noise.
 */
const GROWTH = 1.25;
/**
 * A step that raised throughput by less than this is undone: the extra connections only
 * loaded the host. Between this and GROWTH the step is kept and the ramp ends.
 */
const WORTH_KEEPING = 1.1;
/** After a step, time for the new connections to connect and get going before measuring. */
const SETTLE_MS = 150;
/**
 * Throughput is judged over at least this long: servers that limit a connection's rate send
 * in bursts (nginx sends a chunk, then sleeps), so one 50 ms tick can see none of a new
 * connection's bytes and stop the ramp at 4 connections.
 */
const WINDOW_MS = 400;
/** Once ranges are known to work, slow start goes on from this many connections. */
export const INITIAL_CONNECTIONS = 4;

/**
 * How many connections one segmented file wants, as TCP's slow start grows a window: start
 * small, double while throughput keeps growing, stop growing when it does not (undoing a step
 * that added nothing), and stop when the host says it is overloaded (429/503). The owner sheds
 * connections above `target` between requests.
 *
 * The owner calls `observe` once per tick with the bytes received since the last one; `target`
 * is what it should have open, never above the current maximum.
 */
export class SlowStart {
  private wanted: number;
  private ramping = true;
  private settleMs = SETTLE_MS;
  private windowBytes = 0;
  private windowMs = 0;
  private lastRate = 0;
  /** What `wanted` was before the last step. */
  private previous: number;

  constructor(first: number) {
    this.wanted = first;
    this.previous = first;
  }

  /** Connections to keep open now, within `max`. */
  target(max: number): number {
    return Math.min(this.wanted, max);
  }

  /** A ranged answer arrived: go on from several connections at once, not two. */
  rangesWork(max: number): boolean {
    if (!this.ramping || this.wanted >= INITIAL_CONNECTIONS) return false;
    this.wanted = Math.min(INITIAL_CONNECTIONS, max);
    this.restartWindow();
    return true;
  }

  /** The host asked for less: stop growing (the caller lowers its cap). */
  backOff(): void {
    this.ramping = false;
  }

  /**
   * One tick: `bytes` received over `ms` with `open` connections, under a maximum `max`.
   * Only whole windows with every wanted connection open are judged.
   */
  observe(bytes: number, ms: number, open: number, max: number): void {
    if (!this.ramping) return;
    if (open < this.wanted) {
      // Still opening (or a connection ended and is being replaced): not a fair measure.
      this.restartWindow();
      return;
    }
    if (this.settleMs > 0) {
      this.settleMs -= ms;
      return;
    }
    this.windowBytes += bytes;
    this.windowMs += ms;
    if (this.windowMs < WINDOW_MS) return;
    const rate = (this.windowBytes * 1000) / this.windowMs;
    this.windowBytes = 0;
    this.windowMs = 0;
    const first = this.lastRate === 0;
    if (rate > this.lastRate * GROWTH && this.wanted < max) {
      this.lastRate = rate;
      this.previous = this.wanted;
      this.wanted = Math.min(max, this.wanted * 2);
      this.settleMs = SETTLE_MS;
    } else {
      if (!first && rate < this.lastRate * WORTH_KEEPING) this.wanted = this.previous;
      this.ramping = false;
    }
  }

  /** The limit changed while running (a setting, the job's policy): probe again from here. */
  limitChanged(max: number): void {
    this.wanted = Math.min(this.wanted, max);
    this.ramping = this.wanted < max;
    this.restartWindow();
  }

  private restartWindow(): void {
    this.settleMs = SETTLE_MS;
    this.windowBytes = 0;
    this.windowMs = 0;
  }
}
