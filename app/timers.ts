/**
 * Timers for app/ code, which compiles without DOM or Node typings.
 *
 * Every host app/ runs in (browsers, Node, Electron's renderer and main) has setTimeout and
 * clearTimeout on the global object; this names just that much of their API.
 */
interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const host = globalThis as unknown as TimerHost;

/** A pending timer; `cancel` is safe to call more than once. */
export interface Timer {
  cancel(): void;
}

/** Calls `callback` once after `ms` milliseconds. */
export function startTimer(callback: () => void, ms: number): Timer {
  const handle = host.setTimeout(callback, ms);
  return {
    cancel() {
      host.clearTimeout(handle);
    },
  };
}
