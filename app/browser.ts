import { z } from 'zod';

/**
 * The browser integration's half of the contract: which extensions may hand downloads to
 * Ferry, and what they hand over.
 *
 * An extension never reaches the engine's RPC: it talks to Ferry's native messaging host
 * (main/native-host), which the browser starts and tells who the caller is. The host then
 * calls the `browser.*` commands below with that identity, and the engine host refuses every
 * hand-off from an extension the user has not paired (approved once, revocable in settings).
 */

/** Browser families Ferry's extension is built for (Chrome, Chromium and Edge are one). */
export const EXTENSION_BROWSERS = ['chromium', 'firefox'] as const;
/** One browser family. */
export type ExtensionBrowser = (typeof EXTENSION_BROWSERS)[number];

/** A Chromium extension id: 32 letters a to p (the hex of a key hash, shifted). */
const CHROMIUM_EXTENSION_ID = /^[a-p]{32}$/;
/** A Firefox add-on id: an e-mail-like id or a braced GUID. */
const FIREFOX_EXTENSION_ID =
  /^(?:\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,64})$/;

/** Whether `id` is a well-formed extension id for `browser`. */
export function isExtensionId(browser: ExtensionBrowser, id: string): boolean {
  return (browser === 'chromium' ? CHROMIUM_EXTENSION_ID : FIREFOX_EXTENSION_ID).test(id);
}

/** Which extension, in which browser family: what the browser told the native host. */
export const extensionRefSchema = z
  .strictObject({
    browser: z.enum(EXTENSION_BROWSERS),
    extensionId: z.string().max(160, 'is too long'),
  })
  .refine((ref) => isExtensionId(ref.browser, ref.extensionId), {
    message: 'is not an extension id of that browser',
    path: ['extensionId'],
  });

/** An extension's identity. */
export type ExtensionRef = z.output<typeof extensionRefSchema>;

/** Whether a text has no control characters (no line breaks that could split a header). */
function isOneLine(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** How an extension names itself to the user ("Ferry for Firefox 0.1.0"). */
const label = z
  .string()
  .min(1, 'must not be empty')
  .max(120, 'is too long')
  .refine(isOneLine, 'must be one line of printable text');

/** An extension the user allowed: kept in AppSettings (`pairedExtensions`). */
export const pairedExtensionSchema = z.strictObject({
  browser: z.enum(EXTENSION_BROWSERS),
  extensionId: z.string().max(160),
  label,
  /** When the user allowed it (ISO 8601). */
  pairedAt: z.string().max(64),
});

/** A paired extension. */
export type PairedExtension = z.output<typeof pairedExtensionSchema>;

/** An extension waiting for the user's answer (kept in memory: a restart asks again). */
export interface PairingRequest extends ExtensionRef {
  readonly label: string;
  /** ISO 8601. */
  readonly requestedAt: string;
}

/** What the window shows: extensions waiting for an answer, and the allowed ones. */
export interface PairingsView {
  readonly pending: readonly PairingRequest[];
  readonly paired: readonly PairedExtension[];
}

/**
 * Where an extension stands: `paired` may hand over downloads, `pending` waits for the
 * user, `denied` was refused in this run of Ferry (asking again needs a restart of Ferry or
 * a reload of the extension: a refused extension must not be able to nag).
 */
export type PairingStatus = 'paired' | 'pending' | 'denied';

/** An http(s) URL, as a browser hands it over. */
const webUrl = z
  .string()
  .max(8192, 'is too long')
  .regex(/^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i, 'must be an http or https URL');

/** A header value: one line, no control characters. */
const headerValue = (max: number) =>
  z
    .string()
    .max(max, 'is too long')
    .refine(isOneLine, 'must be one line without control characters');

/** One download the browser was about to make, as the extension hands it to Ferry. */
export const handOffItemSchema = z.strictObject({
  url: webUrl,
  /** The page the download started from: sent as Referer. */
  referrer: webUrl.optional(),
  /** The name the browser would have used (from Content-Disposition or the link). */
  fileName: z.string().max(1024, 'is too long').optional(),
  /** The Cookie header the browser would have sent, when the user lets the extension share it. */
  cookie: headerValue(16_384).optional(),
  /** The browser's User-Agent, for sites that check it. */
  userAgent: headerValue(512).optional(),
  /** Size the browser learnt from the response, if any. */
  bytesTotal: z.number().int().nonnegative().nullable().optional(),
});

/** A download handed over by an extension. */
export type HandOffItem = z.output<typeof handOffItemSchema>;

/** Input of `browser.pair`. */
export const browserPairInput = z.strictObject({ extension: extensionRefSchema, label });

/** Input of `browser.decide`: the user's answer to a pairing request. */
export const browserDecideInput = z.strictObject({
  extension: extensionRefSchema,
  allow: z.boolean(),
});

/** Input of `browser.revoke`. */
export const browserRevokeInput = z.strictObject({ extension: extensionRefSchema });

/** Input of `browser.handOff`: downloads to queue, each as its own job. */
export const browserHandOffInput = z.strictObject({
  extension: extensionRefSchema,
  items: z.array(handOffItemSchema).min(1, 'must hold at least one download').max(500),
});

/** Input of `browser.openAdd`: links for the window's Add dialog. */
export const browserOpenAddInput = z.strictObject({
  extension: extensionRefSchema,
  urls: z.array(webUrl).min(1, 'must hold at least one URL').max(10_000),
  referrer: webUrl.optional(),
});

/** Input of `browser.recent`: the popup's list. */
export const browserRecentInput = z.strictObject({
  extension: extensionRefSchema,
  limit: z.number().int().min(1).max(50).default(8),
});

/** One job as the extension's popup shows it. */
export interface RecentDownload {
  readonly jobId: string;
  readonly name: string;
  readonly state: string;
  readonly bytesTransferred: number;
  /** Null when unknown. */
  readonly bytesTotal: number | null;
}

/** Result of `browser.handOff`: the jobs made, in the order of the items. */
export interface HandOffResult {
  readonly jobs: readonly { readonly jobId: string; readonly localName: string }[];
}

/** Browsers whose native host registration Ferry manages (`ferry integrate`, settings). */
export const INTEGRATION_BROWSERS = ['chrome', 'chromium', 'edge', 'firefox'] as const;
/** One of them. */
export type IntegrationBrowser = (typeof INTEGRATION_BROWSERS)[number];

/** Whether one browser can start Ferry's native host (its manifest is in place). */
export interface IntegrationState {
  readonly browser: IntegrationBrowser;
  readonly installed: boolean;
  /** Where that browser looks for the host's manifest. */
  readonly manifestPath: string;
}

/** Input of `browser.integrate`: register the host for every browser, or remove it. */
export const browserIntegrateInput = z.strictObject({ install: z.boolean() });

/** Payload of the `addRequested` event: links for the window's Add dialog. */
export interface AddRequestedPayload {
  readonly revision: number;
  readonly urls: readonly string[];
  readonly referrer: string | null;
  /** The extension's label, so the dialog can say where the links came from. */
  readonly from: string;
}
