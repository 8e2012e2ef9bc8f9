import type { Readable, Writable } from 'node:stream';
import type {
  ExtensionRef,
  ExtensionReplies,
  ExtensionRequest,
  FerryClient,
  FerryErrorShape,
  HostMessage,
  PairingStatus,
  PairingsView,
} from '../../app/index.js';
import {
  FerryError,
  RPC_MAX_MESSAGE_BYTES,
  extensionMessageSchema,
  toErrorShape,
} from '../../app/index.js';
import { NativeMessageDecoder, encodeNativeMessage } from './framing.js';

/** What the relay needs around it. */
export interface RelayOptions {
  /** The browser's end: native messages from the extension (the host's stdin). */
  readonly input: Readable;
  /** Native messages to the extension (the host's stdout: nothing else may write there). */
  readonly output: Writable;
  /** The extension, as the browser named it when it started the host. */
  readonly caller: ExtensionRef;
  /** Opens the link to the running Ferry (starting one if needed); called once, lazily. */
  readonly connect: () => Promise<FerryClient & { close?: () => void }>;
  /** Largest message accepted from the extension (default: the RPC's frame limit). */
  readonly maxInputBytes?: number;
}

/**
 * Relays one extension's requests to Ferry until the browser closes the port (end of stdin).
 *
 * Each request is checked against the contract's schema, then turned into the `browser.*`
 * command with the caller's identity as the browser gave it: the extension never names
 * itself, so it can neither claim another extension's pairing nor reach any other command.
 * Replies and pairing changes go back as native messages. Resolves with the exit code: 0 when
 * the browser closed the port, 1 after a fatal error (reported to the extension first).
 */
export async function runRelay(options: RelayOptions): Promise<number> {
  const { output, caller } = options;
  const decoder = new NativeMessageDecoder(options.maxInputBytes ?? RPC_MAX_MESSAGE_BYTES);
  let client: Promise<FerryClient & { close?: () => void }> | null = null;
  let lastStatus: PairingStatus | null = null;
  let greeted = false;

  const write = (message: HostMessage): void => {
    if (output.writableEnded) return;
    let frame: Buffer;
    try {
      frame = encodeNativeMessage(message);
    } catch (error) {
      // Too big for the browser: say so in a message that fits instead.
      if (message.type !== 'reply') throw error;
      frame = encodeNativeMessage({
        type: 'reply',
        id: message.id,
        ok: false,
        error: toErrorShape(error),
      } satisfies HostMessage);
    }
    output.write(frame);
  };

  /** Set once the relay runs: ends it (Ferry went away). */
  let stop: (error: FerryError) => void = () => undefined;

  /** True once the browser has closed the port (or the relay failed): no new links then. */
  let ended = false;

  const link = (): Promise<FerryClient & { close?: () => void }> => {
    if (ended) {
      // The browser is gone: starting Ferry now would leave a server nobody asked for.
      return Promise.reject(
        new FerryError('RPC_DISCONNECTED', 'GENERAL_QUEUE_MANAGER', 'The browser closed the port'),
      );
    }
    client ??= options.connect().then(
      (opened) => {
        opened.on('pairingsChanged', ({ pairings }) => {
          // Only an extension that has said hello waits for news about its pairing.
          if (!greeted) return;
          const status = statusIn(pairings, caller);
          if (status === lastStatus) return;
          lastStatus = status;
          write({ type: 'pairing', status });
        });
        opened.onConnection((state) => {
          // Ferry quit: end this host, so the extension's next request starts a fresh one
          // (which starts Ferry again) rather than talking to a dead link.
          if (state === 'closed') {
            stop(new FerryError('RPC_DISCONNECTED', 'GENERAL_QUEUE_MANAGER', 'Ferry stopped'));
          }
        });
        return opened;
      },
      (error: unknown) => {
        // Ferry could not be reached or started: try again on the next request.
        client = null;
        throw error;
      },
    );
    return client;
  };

  const answer = async (
    request: ExtensionRequest,
  ): Promise<ExtensionReplies[keyof ExtensionReplies]> => {
    const ferry = await link();
    switch (request.kind) {
      case 'hello': {
        const { status } = await ferry.invoke('browser.pair', {
          extension: caller,
          label: request.label,
        });
        // From now on the extension hears of changes; the request's own event came before.
        greeted = true;
        lastStatus = status;
        return { status };
      }
      case 'handOff':
        return await ferry.invoke('browser.handOff', {
          extension: caller,
          items: request.items,
        });
      case 'openAdd':
        return await ferry.invoke('browser.openAdd', {
          extension: caller,
          urls: request.urls,
          ...(request.referrer === undefined ? {} : { referrer: request.referrer }),
        });
      case 'recent': {
        const downloads = await ferry.invoke('browser.recent', {
          extension: caller,
          limit: request.limit,
        });
        return { downloads };
      }
    }
  };

  const handle = (raw: unknown): void => {
    const parsed = extensionMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = idOf(raw);
      const error = invalid(
        parsed.error.issues[0]?.message ?? 'invalid',
        parsed.error.issues[0]?.path,
      );
      if (id === null) throw new FerryError(error.code, error.context, error.message);
      write({ type: 'reply', id, ok: false, error });
      return;
    }
    const { id, request } = parsed.data;
    answer(request).then(
      (value) => {
        write({ type: 'reply', id, ok: true, value });
      },
      (error: unknown) => {
        write({ type: 'reply', id, ok: false, error: toErrorShape(error) });
      },
    );
  };

  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      ended = true;
      options.input.removeAllListeners('data');
      void client?.then((c) => c.close?.()).catch(() => undefined);
      resolve(code);
    };
    const fail = (error: unknown): void => {
      if (done) return;
      write({ type: 'fatal', error: toErrorShape(error) });
      output.end(() => {
        finish(1);
      });
    };
    stop = fail;
    options.input.on('data', (chunk: Buffer) => {
      try {
        for (const message of decoder.push(chunk)) handle(message);
      } catch (error) {
        fail(error);
      }
    });
    options.input.once('end', () => {
      ended = true;
      // Let replies already on their way out go before the link closes.
      output.write('', () => {
        finish(0);
      });
    });
    options.input.once('error', () => {
      finish(1);
    });
  });
}

/** Where `caller` stands in a pairings view: gone from both lists means refused or revoked. */
export function statusIn(view: PairingsView, caller: ExtensionRef): PairingStatus {
  const same = (entry: ExtensionRef): boolean =>
    entry.browser === caller.browser && entry.extensionId === caller.extensionId;
  if (view.paired.some(same)) return 'paired';
  if (view.pending.some(same)) return 'pending';
  return 'denied';
}

function idOf(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const { id } = raw;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function invalid(message: string, path: readonly PropertyKey[] | undefined): FerryErrorShape {
  const where = path === undefined || path.length === 0 ? 'message' : path.map(String).join('.');
  return {
    code: 'INPUT_INVALID',
    context: 'GENERAL_QUEUE_MANAGER',
    message: `Invalid native message: ${where} ${message}`,
  };
}
