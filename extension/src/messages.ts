import { z } from 'zod';
import type { RecentDownload } from '../../app/browser.js';
import type { LinkStatus } from './native-link.js';

/**
 * Messages between the extension's own parts (content script, popup, options page) and its
 * background. Each is parsed on arrival: a page cannot forge them (content scripts run in an
 * isolated world), but the background still trusts nothing it did not check.
 */
export const internalMessageSchema = z.discriminatedUnion('kind', [
  /** Content script: the user clicked this link with the bypass key held. */
  z.strictObject({ kind: z.literal('bypass'), url: z.string().max(8192) }),
  /** Popup: what to show. */
  z.strictObject({ kind: z.literal('popupState') }),
  /** Popup: ask Ferry again after a refusal or when Ferry was not running. */
  z.strictObject({ kind: z.literal('retry') }),
]);

/** One internal message. */
export type InternalMessage = z.output<typeof internalMessageSchema>;

/** What the popup shows. */
export interface PopupState {
  readonly status: LinkStatus;
  readonly error: string;
  readonly captureEnabled: boolean;
  readonly recent: readonly RecentDownload[];
}

/** Content script → background: the links inside the user's selection. */
export const selectionLinksSchema = z.strictObject({
  urls: z.array(z.string().max(8192)).max(10_000),
});
