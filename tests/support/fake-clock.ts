import type { ClockTimer, EngineClock } from '../../main/engine/clock.js';

/**
 * A clock that stands still until a test moves it: `advance` fires every timer that falls due,
 * in time order, each seeing `now()` at its own time, so 90 days pass in a few milliseconds.
 */
export class FakeClock implements EngineClock {
  private time: number;
  private readonly timers = new Set<{ time: number; seq: number; fn: () => void }>();
  private seq = 0;

  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  at(time: number, fn: () => void): ClockTimer {
    const timer = { time, seq: this.seq++, fn };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves the clock `ms` forward, firing due timers (and those they arm) on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: { time: number; seq: number; fn: () => void } | undefined;
      for (const timer of this.timers) {
        if (timer.time > end) continue;
        if (
          due === undefined ||
          timer.time < due.time ||
          (timer.time === due.time && timer.seq < due.seq)
        ) {
          due = timer;
        }
      }
      if (due === undefined) break;
      this.timers.delete(due);
      this.time = Math.max(this.time, due.time);
      due.fn();
    }
    this.time = end;
  }
}
