import { z } from 'zod';
import type { FerryErrorShape } from './errors.js';
import type { HandOffResult, PairingStatus, RecentDownload } from './browser.js';
import { browserHandOffInput, browserOpenAddInput } from './browser.js';

/**
 * What Ferry's browser extension and its native messaging host say to each other: one JSON
 * object per native message (see main/native-host/framing.ts for the bytes).
 *
 * The extension asks (`request`, with an id it chooses); the host answers each request once
 * (`reply`, same id) and tells the extension on its own when its pairing changes (`pairing`).
 * An extension never names itself: the host knows who it is from the browser, so a message
 * cannot claim another extension's pairing.
 */

/** Largest message the browser accepts from a native host (Chrome's documented limit). */
export const NATIVE_MESSAGE_MAX_BYTES = 1024 * 1024;

/** Name of Ferry's native messaging host, as manifests and `connectNative` spell it. */
export const NATIVE_HOST_NAME = 'app.ferry.native_host';

/** What an extension may ask of the host. */
export const extensionRequestSchema = z.discriminatedUnion('kind', [
  /** Introduces the extension; answered with its pairing status (asks the user when new). */
  z.strictObject({
    kind: z.literal('hello'),
    label: z.string().min(1).max(120),
  }),
  /** Queues downloads the browser was about to make. */
  z.strictObject({ kind: z.literal('handOff'), items: browserHandOffInput.shape.items }),
  /** Opens the window's Add dialog with these links. */
  z.strictObject({
    kind: z.literal('openAdd'),
    urls: browserOpenAddInput.shape.urls,
    referrer: browserOpenAddInput.shape.referrer,
  }),
  /** The popup's view: the latest jobs with their progress. */
  z.strictObject({
    kind: z.literal('recent'),
    limit: z.number().int().min(1).max(50).default(8),
  }),
]);

/** One request of an extension. */
export type ExtensionRequest = z.output<typeof extensionRequestSchema>;

/** An extension → host message. */
export const extensionMessageSchema = z.strictObject({
  type: z.literal('request'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  request: extensionRequestSchema,
});

/** An extension → host message, as sent (defaults may be left out). */
export type ExtensionMessage = z.input<typeof extensionMessageSchema>;

/** What each request kind resolves to. */
export interface ExtensionReplies {
  hello: { readonly status: PairingStatus };
  handOff: HandOffResult;
  openAdd: { readonly windows: number };
  recent: { readonly downloads: readonly RecentDownload[] };
}

/** A host → extension message. */
export type HostMessage =
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly ok: true;
      readonly value: ExtensionReplies[keyof ExtensionReplies];
    }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly ok: false;
      readonly error: FerryErrorShape;
    }
  /** The user answered or revoked this extension's pairing. */
  | { readonly type: 'pairing'; readonly status: PairingStatus }
  /** The host cannot go on (Ferry unreachable, a bad frame); it exits after this. */
  | { readonly type: 'fatal'; readonly error: FerryErrorShape };

/** Schema of a host → extension message, for the extension to parse what arrives. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('reply'),
    id: z.number().int().nonnegative(),
    ok: z.boolean(),
    value: z.unknown().optional(),
    error: z.object({ code: z.string(), message: z.string() }).loose().optional(),
  }),
  z.strictObject({ type: z.literal('pairing'), status: z.enum(['paired', 'pending', 'denied']) }),
  z.strictObject({
    type: z.literal('fatal'),
    error: z.object({ code: z.string(), message: z.string() }).loose(),
  }),
]);
