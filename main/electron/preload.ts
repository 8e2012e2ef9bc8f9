import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS } from '../../app/ipc-channels.js';
import { createFerryBridge, exposedFerry } from './bridge-client.js';

/**
 * The preload: exposes `window.ferry` and nothing else.
 *
 * `ipcRenderer` never leaves this file: the port below wraps each channel in a function that
 * drops the IpcRendererEvent (it carries `sender`, an ipcRenderer). Bundled on its own as
 * CommonJS (a sandboxed preload cannot load modules), so it imports only app/ and electron.
 * Everything else is bridge-client.ts, which the shell tests run in Chromium.
 */
const bridge = createFerryBridge({
  invoke: (request) => ipcRenderer.invoke(IPC_CHANNELS.invoke, request),
  subscribe: (request) => {
    ipcRenderer.send(IPC_CHANNELS.subscribe, request);
  },
  onEvent: (listener) => {
    ipcRenderer.on(IPC_CHANNELS.event, (_event, message: unknown) => {
      listener(message);
    });
  },
  onShell: (listener) => {
    ipcRenderer.on(IPC_CHANNELS.shell, (_event, message: unknown) => {
      listener(message);
    });
  },
});

contextBridge.exposeInMainWorld('ferry', exposedFerry(bridge));
