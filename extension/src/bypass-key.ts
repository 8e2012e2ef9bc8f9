/**
 * The key that lets the browser keep a download, read without the settings' schema: the
 * content script runs in every page, so it stays free of zod and small.
 */

/** Keys a user may hold while clicking to let the browser keep a download. */
export const BYPASS_KEYS = ['alt', 'shift', 'ctrl'] as const;
/** One of them. */
export type BypassKey = (typeof BYPASS_KEYS)[number];

/** The stored settings' bypass key, or Alt when there is none or it is unreadable. */
export function readBypassKey(stored: unknown): BypassKey {
  if (typeof stored !== 'object' || stored === null || !('bypassKey' in stored)) return 'alt';
  const { bypassKey } = stored;
  return BYPASS_KEYS.find((key) => key === bypassKey) ?? 'alt';
}
