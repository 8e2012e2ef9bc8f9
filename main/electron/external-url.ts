/**
 * Which URLs Ferry hands to the operating system (`shell.openExternal`).
 *
 * Only `http:` and `https:`: every other scheme (`file:`, `smb:`, `javascript:`, custom
 * protocol handlers) can run or open local programs (Electron security checklist item 15,
 * "Do not use shell.openExternal with untrusted content"; GitHub Desktop's `main.ts`).
 */

const ALLOWED_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);

/**
 * The normalised URL to open, or null when it must not be opened.
 *
 * Parsed with `URL`, so tricks such as `HTTPS:` casing, leading blanks or embedded tabs are
 * seen as the browser sees them; the normalised `href` is what gets opened.
 */
export function safeExternalUrl(candidate: unknown): string | null {
  if (typeof candidate !== 'string' || candidate.length > 8192) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol) || url.hostname === '') return null;
  return url.href;
}
