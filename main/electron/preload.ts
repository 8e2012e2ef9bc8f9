import { contextBridge, ipcRenderer } from 'electron';
import type {
  CommandInput,
  CommandName,
  ConnectionState,
  EventName,
  EventPayloads,
} from '../../app/contract.js';
import { IPC_CHANNELS } from '../../app/ipc-channels.js';
import type { ShellRequest } from '../../app/ipc-channels.js';
import { createFerryBridge, toCrossableError } from './bridge-client.js';

/**
 * The preload: exposes `window.ferry` and nothing else.
 *
 * `ipcRenderer` never leaves this file: the port below wraps each channel in a function that
 * drops the IpcRendererEvent (it carries `sender`, an ipcRenderer). Bundled on its own as
 * CommonJS (a sandboxed preload cannot load modules), so it imports only app/ and electron.
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

contextBridge.exposeInMainWorld('ferry', {
  invoke: <C extends CommandName>(command: C, input: CommandInput<C>) =>
    bridge.invoke(command, input).catch((error: unknown) =>
      // A FerryError would cross contextBridge as its message alone; its plain shape crosses
      // whole (see toCrossableError), and the renderer's client rebuilds the FerryError.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      Promise.reject(toCrossableError(error)),
    ),
  on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) =>
    bridge.on(event, listener),
  onConnection: (listener: (state: ConnectionState) => void) => bridge.onConnection(listener),
  onShellRequest: (listener: (request: ShellRequest) => void) => bridge.onShellRequest(listener),
} satisfies typeof bridge);
