import { useEffect } from 'react';
import type { DesktopShellBridge } from '../../../app/ipc-channels.js';

/**
 * Opens the details pane when the desktop shell asks to show a job (the user clicked its OS
 * notification): the job is selected by the drop zone's handler, and a closed pane would hide
 * it; a failed job's pane shows its error first. Nothing under `ferry serve` (no shell).
 */
export function useShellSelect(openDetails: () => void): void {
  useEffect(() => {
    const bridge = window.ferry as Partial<DesktopShellBridge> | undefined;
    return bridge?.onShellRequest?.((request) => {
      if (request.kind === 'selectJob') openDetails();
    });
  }, [openDetails]);
}
