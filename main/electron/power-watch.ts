import type { HoldCause } from '../engine/index.js';
import type { PowerEvent } from './platform.js';

/** What the power watch does to the engine. */
export interface TransferHolds {
  holdTransfers(cause: HoldCause): Promise<void>;
  releaseTransfers(cause: HoldCause): void;
}

/**
 * Turns power and session events into engine holds, as BITS does on logoff: transferring jobs
 * go back to QUEUED when the system suspends, when the session ends and, with the "pause on
 * lock" setting, when the screen locks; resume and unlock let them continue.
 *
 * Each cause is held and released on its own, so unlocking a machine that is still suspending
 * starts nothing. An unlock always releases (the setting may have changed while locked).
 */
export function powerEventHandler(
  holds: TransferHolds,
  settings: () => { readonly pauseOnLock: boolean },
  onError: (error: unknown) => void,
): (event: PowerEvent) => void {
  const hold = (cause: HoldCause): void => {
    holds.holdTransfers(cause).catch(onError);
  };
  return (event) => {
    switch (event) {
      case 'suspend':
        hold('system-suspend');
        return;
      case 'resume':
        holds.releaseTransfers('system-suspend');
        return;
      case 'lock-screen':
        if (settings().pauseOnLock) hold('screen-locked');
        return;
      case 'unlock-screen':
        holds.releaseTransfers('screen-locked');
        return;
      case 'session-end':
        // Never released: the app is about to be closed with the session.
        hold('session-end');
        return;
    }
  };
}
