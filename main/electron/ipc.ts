import type { Envelope } from '../../app/contract.js';
import { IPC_CHANNELS } from '../../app/ipc-channels.js';
import type { IpcEventMessage, ShellRequest } from '../../app/ipc-channels.js';
import type { EngineHostPort, HostConnection } from './host-port.js';
import { readInvokeRequest, readSubscribeRequest } from './ipc-messages.js';
import type { IpcSender, PlatformIpc, PlatformWindow } from './platform.js';
import { isTrustedSender } from './trusted-sender.js';

/**
 * The ipcMain side of `window.ferry`: one invoke channel for every command, one event channel
 * per window fed by its own host connection, and the shell-request channel.
 *
 * Every incoming message passes `trustedSender()` first; commands then go to the host, which
 * validates name and input with the contract's schema before anything reaches the engine.
 */

interface WindowLink {
  readonly window: PlatformWindow;
  connection: HostConnection;
  /** Shell requests waiting for the renderer to listen (e.g. URLs from the first argv). */
  readonly pendingShell: ShellRequest[];
  shellReady: boolean;
}

const UNTRUSTED: Envelope<never> = {
  ok: false,
  error: {
    code: 'RPC_FORBIDDEN_ORIGIN',
    context: 'NONE',
    message: 'Refused an IPC message from a sender that is not Ferry’s own window',
  },
};

const MALFORMED: Envelope<never> = {
  ok: false,
  error: {
    code: 'RPC_PROTOCOL',
    context: 'NONE',
    message: 'Refused a malformed IPC request: expected { command: <a contract command>, input }',
  },
};

/** Most shell requests kept for a window that does not listen yet. */
const MAX_PENDING_SHELL = 100;

/** The desktop IPC bridge. */
export class DesktopIpc {
  private readonly links = new Map<number, WindowLink>();

  constructor(
    private readonly ipc: PlatformIpc,
    private readonly host: EngineHostPort,
    /** The page Ferry's windows load (the app's own origin, see app-protocol.ts). */
    private readonly appUrl: string,
  ) {
    this.handle(IPC_CHANNELS.invoke, (message, sender) => {
      const request = readInvokeRequest(message);
      if (request === null) return Promise.resolve(MALFORMED);
      // The window's own link: commands about the caller (its notify interface) act on it.
      const link = this.links.get(sender.webContentsId);
      return this.host.invoke(request.command, request.input, link?.connection);
    });
    this.ipc.on(IPC_CHANNELS.subscribe, (sender, message) => {
      const link = this.links.get(sender.webContentsId);
      const request = readSubscribeRequest(message);
      if (link === undefined || !this.trustedSender(sender) || request === null) return;
      link.connection.subscribe(request.events);
      link.shellReady = request.shell;
      if (link.shellReady) {
        for (const pending of link.pendingShell.splice(0)) this.sendShell(link, pending);
      }
    });
  }

  /**
   * Connects a window to the host; the link (and the callbacks it registered) ends with the
   * window, and a reload starts it afresh.
   */
  attach(window: PlatformWindow): void {
    const open = (): HostConnection =>
      this.host.connect((event, payload) => {
        if (window.isDestroyed()) return;
        const message = { event, payload } as IpcEventMessage;
        window.send(IPC_CHANNELS.event, message);
      }, 'window');
    const link: WindowLink = { window, connection: open(), pendingShell: [], shellReady: false };
    this.links.set(window.contentsId, link);
    window.onClosed(() => {
      link.connection.close();
      this.links.delete(window.contentsId);
    });
    // A reload starts a new page with no listeners and no registrations: a new link.
    window.onNewPage(() => {
      link.shellReady = false;
      link.connection.close();
      link.connection = open();
    });
  }

  /** Sends a shell request to every window, or keeps it until the renderer listens. */
  sendShellRequest(request: ShellRequest): void {
    for (const link of this.links.values()) {
      if (link.shellReady) this.sendShell(link, request);
      else if (link.pendingShell.length < MAX_PENDING_SHELL) link.pendingShell.push(request);
    }
  }

  /** Removes the handlers and closes every window's host connection. */
  dispose(): void {
    this.ipc.remove([IPC_CHANNELS.invoke, IPC_CHANNELS.subscribe]);
    for (const link of this.links.values()) link.connection.close();
    this.links.clear();
  }

  /**
   * THE wrapper around `ipcMain.handle`: the sender check runs before the handler, and any
   * failure comes back as an error envelope, never as a rejected invoke.
   */
  private handle(
    channel: string,
    handler: (message: unknown, sender: IpcSender) => Promise<Envelope<unknown>>,
  ): void {
    this.ipc.handle(channel, async (sender, message) => {
      if (!this.trustedSender(sender)) return UNTRUSTED;
      try {
        return await handler(message, sender);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          error: { code: 'INTERNAL', context: 'UNKNOWN', message: `Internal error: ${text}` },
        } satisfies Envelope<never>;
      }
    });
  }

  private trustedSender(sender: IpcSender): boolean {
    return isTrustedSender(sender, {
      webContentsIds: new Set(this.links.keys()),
      appUrl: this.appUrl,
    });
  }

  private sendShell(link: WindowLink, request: ShellRequest): void {
    if (!link.window.isDestroyed()) link.window.send(IPC_CHANNELS.shell, request);
  }
}
