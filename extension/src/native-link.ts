import type { PairingStatus } from '../../app/browser.js';
import type { ExtensionMessage, ExtensionReplies } from '../../app/native-messages.js';
import { NATIVE_HOST_NAME, hostMessageSchema } from '../../app/native-messages.js';
import type { NativePort } from './webext.js';
import { ext } from './webext.js';

/** Where the link to Ferry stands, for the popup and the badge. */
export type LinkStatus = PairingStatus | 'connecting' | 'unreachable';

/** A request as the extension sends it (the host fills in who is asking). */
type Request = ExtensionMessage['request'];

/** A failure Ferry (or the host) reported, with its code. */
export class FerryLinkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: FerryLinkError): void;
}

/** How long a request may wait for the host (a first start launches Ferry in the background). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The extension's one link to Ferry: a native messaging port to Ferry's host, opened on
 * demand, greeted with `hello` (which asks the user to pair the extension the first time),
 * and reopened after the host goes away.
 *
 * The port is the only channel: the extension holds no token and opens no socket, so a page
 * cannot reach Ferry through it, and nothing it sends is trusted more than its pairing.
 */
export class NativeLink {
  private port: NativePort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private currentStatus: LinkStatus = 'connecting';
  private lastError = '';
  private greeting: Promise<LinkStatus> | null = null;

  constructor(
    private readonly label: string,
    private readonly onStatus: (status: LinkStatus, error: string) => void,
  ) {}

  /** The latest known status and error text. */
  get status(): { readonly status: LinkStatus; readonly error: string } {
    return { status: this.currentStatus, error: this.lastError };
  }

  /**
   * Opens the port if needed and says hello; resolves with the current status (the host
   * reports later answers and revocations on the open port).
   */
  connect(): Promise<LinkStatus> {
    if (this.port !== null && this.greeting !== null) {
      return this.greeting.then(() => this.currentStatus);
    }
    this.open();
    this.greeting = this.request({ kind: 'hello', label: this.label }).then(
      (reply) => {
        this.setStatus(reply.status, '');
        return reply.status;
      },
      (error: unknown) => {
        this.setStatus('unreachable', error instanceof Error ? error.message : String(error));
        return 'unreachable' as const;
      },
    );
    return this.greeting;
  }

  /** Sends a request once paired-or-pending is known; rejects with the host's error. */
  async call<K extends Request['kind']>(
    request: Extract<Request, { kind: K }>,
  ): Promise<ExtensionReplies[K]> {
    await this.connect();
    return this.request(request);
  }

  /** Starts over with a fresh host and a new hello (the user wants to ask Ferry again). */
  retry(): Promise<LinkStatus> {
    const port = this.port;
    this.port = null;
    this.greeting = null;
    port?.disconnect();
    for (const waiting of this.pending.values()) {
      waiting.reject(new FerryLinkError('RPC_DISCONNECTED', 'Reconnecting to Ferry'));
    }
    this.pending.clear();
    return this.connect();
  }

  private open(): void {
    this.setStatus('connecting', '');
    const port = ext.runtime.connectNative(NATIVE_HOST_NAME);
    this.port = port;
    port.onMessage.addListener((raw) => {
      this.receive(raw);
    });
    port.onDisconnect.addListener(() => {
      const why = ext.runtime.lastError?.message ?? 'Ferry closed the connection';
      this.port = null;
      this.greeting = null;
      for (const waiting of this.pending.values()) {
        waiting.reject(new FerryLinkError('RPC_UNREACHABLE', why));
      }
      this.pending.clear();
      this.setStatus('unreachable', why);
    });
  }

  private request<K extends Request['kind']>(
    request: Extract<Request, { kind: K }>,
  ): Promise<ExtensionReplies[K]> {
    const port = this.port;
    if (port === null) {
      return Promise.reject(new FerryLinkError('RPC_UNREACHABLE', this.lastError));
    }
    const id = this.nextId++;
    return new Promise<ExtensionReplies[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new FerryLinkError('RPC_UNREACHABLE', 'Ferry did not answer in time'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as ExtensionReplies[K]);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const message: ExtensionMessage = { type: 'request', id, request };
      port.postMessage(message);
    });
  }

  private receive(raw: unknown): void {
    const parsed = hostMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'pairing') {
      this.setStatus(message.status, '');
      return;
    }
    if (message.type === 'fatal') {
      this.setStatus('unreachable', message.error.message);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (waiting === undefined) return;
    this.pending.delete(message.id);
    if (message.ok) waiting.resolve(message.value);
    else {
      const error = message.error ?? { code: 'INTERNAL', message: 'Ferry refused the request' };
      // Ferry tells pairing changes as they happen; a refusal while we thought we were
      // paired means one was missed (a host restarted meanwhile): we are not paired now.
      if (error.code === 'RPC_NOT_PAIRED' && this.currentStatus === 'paired') {
        this.setStatus('denied', '');
      }
      waiting.reject(new FerryLinkError(error.code, error.message));
    }
  }

  private setStatus(status: LinkStatus, error: string): void {
    if (status === this.currentStatus && error === this.lastError) return;
    this.currentStatus = status;
    this.lastError = error;
    this.onStatus(status, error);
  }
}
