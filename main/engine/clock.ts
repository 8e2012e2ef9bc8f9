/**
 * The engine's clock for rules measured in days (maximum download time, inactivity): the time
 * now, and timers at a given time. The system one reads `Date.now()`; tests inject a fake one
 * and move it 90 days forward without waiting.
 */
export interface EngineClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, at `time` (ms since the epoch) or as soon after as the clock gets there. */
  at(time: number, fn: () => void): ClockTimer;
}

/** A pending clock timer; `cancel` is safe to call more than once. */
export interface ClockTimer {
  cancel(): void;
}

/** Longest single setTimeout (2^31-1 ms overflows to 1 ms). */
const MAX_STEP_MS = 2_000_000_000;

/**
 * The wall clock. Timers are unref'd (a limit 90 days away never keeps a process alive) and
 * re-armed in steps, since setTimeout cannot wait past 24.8 days.
 */
export const SYSTEM_CLOCK: EngineClock = {
  now: () => Date.now(),
  at(time, fn) {
    let handle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const delay = Math.max(0, time - Date.now());
      handle = setTimeout(
        () => {
          if (Date.now() >= time) fn();
          else arm();
        },
        Math.min(delay, MAX_STEP_MS),
      );
      handle.unref();
    };
    arm();
    return {
      cancel() {
        if (handle !== undefined) clearTimeout(handle);
      },
    };
  },
};
