import type { BypassKey } from './bypass-key.js';
import { readBypassKey } from './bypass-key.js';
import { ext } from './webext.js';

/**
 * Runs in every page (an isolated world: the page cannot see or call it). Two jobs only:
 *
 * - a click on a link with the bypass key held tells the background to let the browser keep
 *   that download (sent on pointer down, well before the download can start);
 * - "Download all links with Ferry" asks it for the links inside the user's selection.
 *
 * It reads nothing else from the page and sends nothing to Ferry itself.
 */

/** Where the background keeps the settings (capture-settings.ts, not imported: it needs zod). */
const CAPTURE_SETTINGS_KEY = 'captureSettings';

let bypassKey: BypassKey = 'alt';
void ext.storage.local.get(CAPTURE_SETTINGS_KEY).then((stored) => {
  bypassKey = readBypassKey(stored[CAPTURE_SETTINGS_KEY]);
});
ext.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !(CAPTURE_SETTINGS_KEY in changes)) return;
  void ext.storage.local.get(CAPTURE_SETTINGS_KEY).then((stored) => {
    bypassKey = readBypassKey(stored[CAPTURE_SETTINGS_KEY]);
  });
});

function held(event: MouseEvent): boolean {
  if (bypassKey === 'alt') return event.altKey;
  if (bypassKey === 'shift') return event.shiftKey;
  return event.ctrlKey || event.metaKey;
}

function linkOf(target: EventTarget | null): HTMLAnchorElement | HTMLAreaElement | null {
  if (!(target instanceof Element)) return null;
  const found = target.closest('a[href], area[href]');
  return found instanceof HTMLAnchorElement || found instanceof HTMLAreaElement ? found : null;
}

const onPress = (event: MouseEvent): void => {
  if (!held(event)) return;
  const anchor = linkOf(event.target);
  if (anchor === null || !/^https?:/i.test(anchor.href)) return;
  void ext.runtime.sendMessage({ kind: 'bypass', url: anchor.href }).catch(() => undefined);
};
document.addEventListener('pointerdown', onPress, true);
document.addEventListener('click', onPress, true);

/** The http(s) links inside the current selection, in document order, each once. */
function selectionLinks(): string[] {
  const selection = document.getSelection();
  if (selection === null || selection.rangeCount === 0) return [];
  const urls: string[] = [];
  const anchors = document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>(
    'a[href], area[href]',
  );
  for (let i = 0; i < selection.rangeCount; i++) {
    const range = selection.getRangeAt(i);
    const inside = linkOf(range.commonAncestorContainer.parentElement);
    if (inside !== null) urls.push(inside.href);
    for (const anchor of anchors) if (range.intersectsNode(anchor)) urls.push(anchor.href);
  }
  return [...new Set(urls.filter((url) => /^https?:/i.test(url)))];
}

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== ext.runtime.id) return undefined;
  if (typeof message !== 'object' || message === null || !('kind' in message)) return undefined;
  if (message.kind !== 'selectionLinks') return undefined;
  sendResponse({ urls: selectionLinks() });
  return undefined;
});
