import { z } from 'zod';
import type { FerryErrorShape } from './errors.js';
import type { Envelope, EventName } from './contract.js';
import { errorShapeSchema } from './output-schemas.js';

/**
 * The RPC wire format: the messages a client and a host exchange over a WebSocket (or any
 * ordered message channel), one JSON object per frame.
 *
 * A client sends `invoke` (a command with a client-chosen id) and `subscribe` (the full set of
 * events it wants from now on). The host answers each invoke with a `result` carrying the same
 * id, and pushes `event` frames for the subscribed events.
 */

/** The WebSocket subprotocol of this wire format; its version changes when the format does. */
export const RPC_PROTOCOL = 'ferry.v1';

/**
 * Prefix of the subprotocol that carries the access token (`ferry-token.<hex>`).
 *
 * Browsers cannot set headers on a WebSocket, and a token in the URL would end up in logs and
 * history; a subprotocol is sent as a header and never echoed back by the host.
 */
export const RPC_TOKEN_PROTOCOL_PREFIX = 'ferry-token.';

/** Path of the WebSocket endpoint on the host. */
export const RPC_PATH = '/rpc';

/** Largest frame a host accepts from a client, in bytes (an AddFileSet of ~10k files fits). */
export const RPC_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Subprotocols a client offers for a token. */
export function rpcProtocols(token: string): string[] {
  return [RPC_PROTOCOL, RPC_TOKEN_PROTOCOL_PREFIX + token];
}

/** A client → host message, as the host parses it. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('invoke'),
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    command: z.string().max(128),
    input: z.unknown(),
  }),
  z.strictObject({
    type: z.literal('subscribe'),
    events: z.array(z.string().max(64)).max(64),
  }),
]);

/** A client → host message. */
export type ClientMessage = z.output<typeof clientMessageSchema>;

/**
 * A host → client message, as the client parses it: the frame's shape only; a result's value
 * and an event's payload are checked against the command's or event's own schema
 * (result-schemas.ts) by the client, which knows which command a result answers.
 */
export const serverMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('result'),
    id: z.number().int().nonnegative(),
    result: z.discriminatedUnion('ok', [
      z.strictObject({ ok: z.literal(true), value: z.unknown() }),
      z.strictObject({ ok: z.literal(false), error: errorShapeSchema }),
    ]),
  }),
  z.strictObject({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.strictObject({ type: z.literal('closing'), error: errorShapeSchema }),
]);

/** A host → client message. */
export type ServerMessage =
  | { readonly type: 'result'; readonly id: number; readonly result: Envelope<unknown> }
  | { readonly type: 'event'; readonly event: EventName; readonly payload: unknown }
  /** Sent once the host closes a client for a reason it should show (bad frame, shutdown). */
  | { readonly type: 'closing'; readonly error: FerryErrorShape };

/** WebSocket close codes the host uses, so a client can tell why it was closed. */
export const RPC_CLOSE_CODES = {
  /** The host is shutting down: reconnect later. */
  shutdown: 1001,
  /** A frame was not valid JSON or not a client message. */
  protocolError: 1002,
  /** A frame exceeded RPC_MAX_MESSAGE_BYTES. */
  messageTooBig: 1009,
} as const;
