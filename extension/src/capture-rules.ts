import type { CaptureSettings } from './capture-settings.js';

/** What the browser says about a download when Ferry decides whether to take it. */
export interface DownloadFacts {
  readonly url: string;
  readonly finalUrl: string | null;
  /** The page it started from, when known. */
  readonly referrer: string | null;
  /** The name the browser chose (a path or a bare name), empty when not chosen yet. */
  readonly fileName: string;
  readonly mime: string | null;
  /** Null when the server announced no size. */
  readonly bytesTotal: number | null;
  readonly incognito: boolean;
  /** Started by an extension (ours or another), not by the user on a page. */
  readonly byExtension: boolean;
}

/** Why a download is left to the browser, or that Ferry takes it. */
export type CaptureDecision =
  | { readonly capture: true }
  | {
      readonly capture: false;
      readonly reason:
        | 'disabled'
        | 'bypassed'
        | 'extension'
        | 'incognito'
        | 'scheme'
        | 'excluded-site'
        | 'too-small';
    };

/**
 * Whether Ferry takes a download from the browser.
 *
 * Only http(s) downloads the user started on a page are considered (blob:, data: and file:
 * URLs live only inside the browser; private windows stay private). A site on the exclude
 * list (or a subdomain of one) keeps its downloads, as does a click with the bypass key held.
 * Otherwise a download of one of the chosen types, or at least `minBytes` big, is taken.
 */
export function decideCapture(
  facts: DownloadFacts,
  settings: CaptureSettings,
  bypassed: boolean,
): CaptureDecision {
  if (!settings.enabled) return { capture: false, reason: 'disabled' };
  if (bypassed) return { capture: false, reason: 'bypassed' };
  if (facts.byExtension) return { capture: false, reason: 'extension' };
  if (facts.incognito) return { capture: false, reason: 'incognito' };
  const url = facts.finalUrl ?? facts.url;
  if (!/^https?:/i.test(url) || !/^https?:/i.test(facts.url)) {
    return { capture: false, reason: 'scheme' };
  }
  const hosts = [facts.url, url, facts.referrer].flatMap((u) => (u === null ? [] : [hostOf(u)]));
  if (hosts.some((host) => host !== null && isExcluded(host, settings.excludedSites))) {
    return { capture: false, reason: 'excluded-site' };
  }
  const type = fileTypeOf(facts.fileName !== '' ? facts.fileName : pathOf(url));
  if (type !== null && settings.fileTypes.includes(type)) return { capture: true };
  if (facts.bytesTotal !== null && facts.bytesTotal >= settings.minBytes) return { capture: true };
  return { capture: false, reason: 'too-small' };
}

/** Whether `host` is one of the sites or a subdomain of one. */
export function isExcluded(host: string, sites: readonly string[]): boolean {
  const lower = host.toLowerCase();
  return sites.some((site) => lower === site || lower.endsWith(`.${site}`));
}

/** The lower-case extension of a file name or path ("tar.gz" counts as "gz"), or null. */
export function fileTypeOf(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return null;
  return base.slice(dot + 1).toLowerCase();
}

/** The last part of a path, the file name the browser showed (no folders). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? '';
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

function pathOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return '';
  }
}
