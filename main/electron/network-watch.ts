/**
 * Follows the OS's view of the network for the engine: Electron's `net.isOnline()` has no
 * change event in the main process, so it is read on a clock, and the engine hears only the
 * changes (at once for an offline start).
 */

/** The clock the watch runs on (tests drive it by hand). */
export interface WatchClock {
  every(ms: number, tick: () => void): () => void;
}

/** The real clock: an unref'd interval, so the watch never keeps the process alive. */
export const INTERVAL_CLOCK: WatchClock = {
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => {
      clearInterval(timer);
    };
  },
};

/** How often the network is looked at, in ms. */
export const NETWORK_POLL_MS = 2000;

/** Starts watching; returns the stop function. */
export function watchNetwork(
  isOnline: () => boolean,
  onChange: (online: boolean) => void,
  clock: WatchClock = INTERVAL_CLOCK,
): () => void {
  let online = true;
  const look = (): void => {
    const now = isOnline();
    if (now === online) return;
    online = now;
    onChange(now);
  };
  look();
  return clock.every(NETWORK_POLL_MS, look);
}
