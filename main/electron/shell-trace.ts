import type { DesktopPlatform } from './platform.js';

/** What the `_electron` smoke test reads from the main process. */
export interface ShellTrace {
  readonly toolTips: string[];
  readonly notes: string[];
}

/**
 * The platform with its tray tooltips and OS notifications recorded on `globalThis.ferryShellTrace`,
 * for the smoke test (FERRY_SHELL_TRACE=1): Electron cannot list trays or notifications.
 */
export function tracedPlatform(platform: DesktopPlatform): DesktopPlatform {
  const trace: ShellTrace = { toolTips: [], notes: [] };
  Object.assign(globalThis, { ferryShellTrace: trace });
  return {
    ...platform,
    createTray(image) {
      const tray = platform.createTray(image);
      return {
        ...tray,
        setToolTip(text) {
          trace.toolTips.push(text);
          tray.setToolTip(text);
        },
      };
    },
    notifications: {
      isSupported: () => platform.notifications.isSupported(),
      show(text, onClick) {
        trace.notes.push(`${text.title}: ${text.body}`);
        platform.notifications.show(text, onClick);
      },
    },
  };
}
