/**
 * The download URLs on a command line: `ferry https://host/file.iso` (first launch), or the
 * argv a second launch forwards through `second-instance`.
 */

/** Most URLs taken from one command line; the rest are ignored. */
export const MAX_ARGV_URLS = 1000;

const DOWNLOAD_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);

/**
 * Every `http:`/`https:` URL among the arguments, normalised, first occurrence kept.
 *
 * Anything else is ignored rather than refused: argv also holds the executable, the app path
 * in development, and switches Chromium adds (`--allow-file-access-from-files`, …). Switches
 * are skipped even when their value looks like a URL (`--proxy-server=http://…`), so a flag
 * never becomes a download.
 */
export function urlsFromArgv(argv: readonly string[]): string[] {
  const urls: string[] = [];
  for (const arg of argv) {
    if (urls.length >= MAX_ARGV_URLS) break;
    if (arg.startsWith('-') || arg.length > 8192) continue;
    let url: URL;
    try {
      url = new URL(arg.trim());
    } catch {
      continue;
    }
    if (!DOWNLOAD_PROTOCOLS.has(url.protocol) || url.hostname === '') continue;
    if (!urls.includes(url.href)) urls.push(url.href);
  }
  return urls;
}

/**
 * The download URLs in a piece of text (the clipboard): every whitespace-separated word that
 * is an `http:`/`https:` URL, with the same rules and limit as a command line.
 */
export function urlsFromText(text: string): string[] {
  return urlsFromArgv(
    text
      .slice(0, 1_000_000)
      .split(/\s+/)
      .filter((word) => word !== ''),
  );
}
