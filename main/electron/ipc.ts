import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Envelope } from '../../app/contract.js';
import { IPC_CHANNELS } from '../../app/ipc-channels.js';
import type { IpcEventMessage, ShellRequest } from '../../app/ipc-channels.js';
import type { EngineHostPort, HostConnection } from './host-port.js';
import { readInvokeRequest, readSubscribeRequest } from './ipc-messages.js';
import { isTrustedSender } from './trusted-sender.js';
import type { SenderFacts } from './trusted-sender.js';

/**
 * The ipcMain side of `window.ferry`: one invoke channel for every command, one event channel
 * per window fed by its own host connection, and the shell-request channel.
 *
 * Every incoming message passes `trustedSender()` first; commands then go to the host, which
 * validates name and input with the contract's schema before anything reaches the engine.
 */

interface WindowLink {
  readonly contents: WebContents;
  readonly connection: HostConnection;
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
    private readonly ipcMain: IpcMain,
    private readonly host: EngineHostPort,
    /** The page Ferry's windows load (see paths.ts). */
    private readonly appUrl: string,
  ) {
    this.handle(IPC_CHANNELS.invoke, (message) => {
      const request = readInvokeRequest(message);
      if (request === null) return Promise.resolve(MALFORMED);
      return this.host.invoke(request.command, request.input);
    });
    this.ipcMain.on(IPC_CHANNELS.subscribe, (event: IpcMainEvent, message: unknown) => {
      const link = this.links.get(event.sender.id);
      const request = readSubscribeRequest(message);
      if (link === undefined || !this.trustedSender(event) || request === null) return;
      link.connection.subscribe(request.events);
      link.shellReady = request.shell;
      if (link.shellReady) {
        for (const pending of link.pendingShell.splice(0)) this.sendShell(link, pending);
      }
    });
  }

  /** Connects a window's web contents to the host; the link ends when the contents go away. */
  attach(contents: WebContents): void {
    const connection = this.host.connect((event, payload) => {
      if (contents.isDestroyed()) return;
      const message = { event, payload } as IpcEventMessage;
      contents.send(IPC_CHANNELS.event, message);
    });
    const link: WindowLink = { contents, connection, pendingShell: [], shellReady: false };
    this.links.set(contents.id, link);
    const detach = (): void => {
      connection.close();
      this.links.delete(contents.id);
    };
    contents.once('destroyed', detach);
    // A reload starts a new page with no listeners: it subscribes again from scratch.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) {
        link.shellReady = false;
        connection.subscribe([]);
      }
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
    this.ipcMain.removeHandler(IPC_CHANNELS.invoke);
    this.ipcMain.removeAllListeners(IPC_CHANNELS.subscribe);
    for (const link of this.links.values()) link.connection.close();
    this.links.clear();
  }

  /**
   * THE wrapper around `ipcMain.handle`: the sender check runs before the handler, and any
   * failure comes back as an error envelope, never as a rejected invoke.
   */
  private handle(
    channel: string,
    handler: (message: unknown, event: IpcMainInvokeEvent) => Promise<Envelope<unknown>>,
  ): void {
    this.ipcMain.handle(channel, async (event, message: unknown) => {
      if (!this.trustedSender(event)) return UNTRUSTED;
      try {
        return await handler(message, event);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          error: { code: 'INTERNAL', context: 'UNKNOWN', message: `Internal error: ${text}` },
        } satisfies Envelope<never>;
      }
    });
  }

  private trustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    const facts: SenderFacts = {
      webContentsId: event.sender.id,
      frameUrl: frame?.url ?? null,
      isMainFrame: frame !== null && frame.parent === null,
    };
    return isTrustedSender(facts, {
      webContentsIds: new Set(this.links.keys()),
      appUrl: this.appUrl,
    });
  }

  private sendShell(link: WindowLink, request: ShellRequest): void {
    if (!link.contents.isDestroyed()) link.contents.send(IPC_CHANNELS.shell, request);
  }
}
