// The desktop preload as the shell tests run it in Chromium: the same bridge and the same
// exposed object as main/electron/preload.ts (bridge-client.ts), over the test platform's IPC
// (a Playwright binding) instead of ipcRenderer. Bundled for the page by test-platform.ts.
import { IPC_CHANNELS } from '../../../app/ipc-channels.js';
import { createFerryBridge, exposedFerry } from '../../../main/electron/bridge-client.js';

/** The page-side globals the test platform provides and reads. */
interface TestPageGlobals {
  /** The binding to main: `invoke` answers, `send` does not. */
  __ferryIpc(kind: 'invoke' | 'send', channel: string, message: unknown): Promise<unknown>;
  /** Main's messages arrive here (page.evaluate from the test platform). */
  __ferryReceive?: (channel: string, message: unknown) => void;
  ferry?: unknown;
}

const g = globalThis as unknown as TestPageGlobals;
const listeners = new Map<string, (message: unknown) => void>();
g.__ferryReceive = (channel, message) => {
  listeners.get(channel)?.(message);
};

const bridge = createFerryBridge({
  invoke: (request) => g.__ferryIpc('invoke', IPC_CHANNELS.invoke, request),
  subscribe: (request) => {
    void g.__ferryIpc('send', IPC_CHANNELS.subscribe, request);
  },
  onEvent: (listener) => {
    listeners.set(IPC_CHANNELS.event, listener);
  },
  onShell: (listener) => {
    listeners.set(IPC_CHANNELS.shell, listener);
  },
});

// contextBridge freezes what it exposes; so does this.
g.ferry = Object.freeze(exposedFerry(bridge));
