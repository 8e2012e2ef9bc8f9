/**
 * Finds downloadable URLs in what a user dropped or pasted: a `text/uri-list`, an HTML
 * fragment with links, or free text that mentions URLs.
 *
 * Only http, https and file URLs are kept (what the engine can fetch), each once, in order.
 */

const SCHEMES = new Set(['http:', 'https:', 'file:']);

/** URL-looking runs in free text; trailing punctuation is trimmed afterwards. */
const URL_IN_TEXT = /\b(?:https?|file):\/\/[^\s<>"'`]+/gi;

/** Characters that end a sentence rather than a URL. */
const TRAILING = /[.,;:!?'"»)\]}>]+$/;

function clean(candidate: string): string | null {
  let s = candidate.trim().replace(TRAILING, (tail) => {
    // Keep a closing parenthesis that closes one opened inside the URL (Wikipedia links).
    const opens = (candidate.match(/\(/g) ?? []).length;
    const closes = (candidate.match(/\)/g) ?? []).length;
    return tail.startsWith(')') && opens >= closes ? ')' : '';
  });
  if (s === '') return null;
  try {
    const url = new URL(s);
    if (!SCHEMES.has(url.protocol)) return null;
    if (url.protocol !== 'file:' && url.hostname === '') return null;
    s = url.href;
    return s;
  } catch {
    return null;
  }
}

function unique(urls: readonly (string | null)[]): string[] {
  return [...new Set(urls.filter((u): u is string => u !== null))];
}

/** URLs of a `text/uri-list` (RFC 2483: one per line, `#` lines are comments). */
export function urlsFromUriList(list: string): string[] {
  return unique(
    list
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(clean),
  );
}

/** URLs mentioned anywhere in free text. */
export function urlsFromText(text: string): string[] {
  return unique([...text.matchAll(URL_IN_TEXT)].map((m) => clean(m[0])));
}

/** `href` targets of an HTML fragment (entities `&amp;` decoded), without a DOM parser. */
export function urlsFromHtml(html: string): string[] {
  const hrefs = [...html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) =>
    (m[1] ?? m[2] ?? m[3] ?? '').replace(/&amp;/g, '&'),
  );
  return unique(hrefs.map(clean));
}

/** The data a drop or paste carries, by MIME type (whatever the platform offered). */
export interface TransferTexts {
  readonly uriList?: string;
  readonly html?: string;
  readonly text?: string;
}

/**
 * The URLs of a drop or paste, best source first: the URI list, then links in HTML, then
 * URLs in plain text.
 */
export function extractUrls(data: TransferTexts): string[] {
  if (data.uriList !== undefined && data.uriList.trim() !== '') {
    const urls = urlsFromUriList(data.uriList);
    if (urls.length > 0) return urls;
  }
  if (data.html !== undefined && data.html !== '') {
    const urls = urlsFromHtml(data.html);
    if (urls.length > 0) return urls;
  }
  return data.text === undefined ? [] : urlsFromText(data.text);
}
