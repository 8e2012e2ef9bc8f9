import type { HandOffItem } from '../../app/browser.js';
import { baseName, decideCapture } from './capture-rules.js';
import type { CaptureSettings } from './capture-settings.js';
import { CAPTURE_SETTINGS_KEY, parseCaptureSettings } from './capture-settings.js';
import { t } from './i18n.js';
import type { InternalMessage, PopupState } from './messages.js';
import { internalMessageSchema, selectionLinksSchema } from './messages.js';
import type { LinkStatus } from './native-link.js';
import { FerryLinkError, NativeLink } from './native-link.js';
import type { DownloadItem, MenuClickInfo, MessageSender, Tab } from './webext.js';
import { ext } from './webext.js';

/**
 * The extension's background (a service worker in Chromium, an event page in Firefox):
 * takes downloads from the browser, serves the context menus and the popup, and is the only
 * part that talks to Ferry (through the native host, see native-link.ts).
 *
 * A download is handed over only once Ferry has accepted it: until then the browser's copy
 * is held (its name not yet chosen in Chromium, paused in Firefox), and if Ferry cannot take
 * it (not running, not paired, refused) the browser simply carries on. Listeners are added
 * at the top level, as both browsers require for a background that may be stopped.
 */

const MENU = { link: 'ferry-link', media: 'ferry-media', selection: 'ferry-selection' } as const;
/** How long a bypass click (download kept by the browser) stays valid. */
const BYPASS_MS = 15_000;

const manifest = ext.runtime.getManifest();
const link = new NativeLink(`${t('extName')} ${manifest.version}`, showStatus);
const bypasses = new Map<string, number>();
let settings: Promise<CaptureSettings> = loadSettings();

async function loadSettings(): Promise<CaptureSettings> {
  const stored = await ext.storage.local.get(CAPTURE_SETTINGS_KEY);
  return parseCaptureSettings(stored[CAPTURE_SETTINGS_KEY]);
}

ext.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && CAPTURE_SETTINGS_KEY in changes) settings = loadSettings();
});

// --- capture -------------------------------------------------------------------------------

function consumeBypass(item: DownloadItem): boolean {
  const now = Date.now();
  for (const [url, until] of bypasses) if (until < now) bypasses.delete(url);
  for (const url of [item.url, item.finalUrl]) {
    if (url !== undefined && bypasses.has(url)) {
      bypasses.delete(url);
      return true;
    }
  }
  return false;
}

/** Whether the capture rules want this download for Ferry (pairing not asked yet). */
async function wanted(item: DownloadItem): Promise<boolean> {
  const bypassed = consumeBypass(item);
  const decision = decideCapture(
    {
      url: item.url,
      finalUrl: item.finalUrl ?? null,
      referrer: item.referrer === undefined || item.referrer === '' ? null : item.referrer,
      fileName: item.filename,
      mime: item.mime ?? null,
      bytesTotal: item.totalBytes > 0 ? item.totalBytes : null,
      incognito: item.incognito,
      byExtension: item.byExtensionId !== undefined && item.byExtensionId !== '',
    },
    await settings,
    bypassed,
  );
  return decision.capture;
}

/** Whether Ferry has paired this extension (says hello first when needed). */
async function paired(): Promise<boolean> {
  return (await link.connect()) === 'paired';
}

/** Hands one browser download to Ferry; true when Ferry queued it. */
async function handOffDownload(item: DownloadItem): Promise<boolean> {
  const handOff = await handOffItem(item.url, item.referrer, baseName(item.filename));
  const bytesTotal = item.totalBytes > 0 ? item.totalBytes : null;
  return sendHandOff([{ ...handOff, bytesTotal }]);
}

async function handOffItem(
  url: string,
  referrer: string | undefined,
  fileName: string,
): Promise<HandOffItem> {
  const item: { -readonly [K in keyof HandOffItem]: HandOffItem[K] } = {
    url,
    userAgent: navigator.userAgent,
  };
  if (referrer !== undefined && /^https?:\/\//i.test(referrer)) item.referrer = referrer;
  if (fileName !== '') item.fileName = fileName;
  if ((await settings).shareCookies) {
    const cookies = await ext.cookies.getAll({ url });
    if (cookies.length > 0) item.cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }
  return item;
}

async function sendHandOff(items: HandOffItem[]): Promise<boolean> {
  try {
    await link.call({ kind: 'handOff', items });
    return true;
  } catch (error) {
    showProblem(error);
    return false;
  }
}

/** Drops the browser's copy once Ferry has the download. */
async function dropBrowserCopy(id: number): Promise<void> {
  await ext.downloads.cancel(id).catch(() => undefined);
  // A small file may have finished before Ferry answered: then delete the browser's file too,
  // so the user does not end up with two copies.
  const [item] = await ext.downloads.search({ id }).catch(() => []);
  if (item?.state === 'complete') await ext.downloads.removeFile(id).catch(() => undefined);
  await ext.downloads.erase({ id }).catch(() => undefined);
}

const determining = ext.downloads.onDeterminingFilename;
if (determining !== undefined) {
  // Chromium: decide before the name is chosen, so a "Save as" dialog never opens for a
  // download Ferry takes; the browser waits for `suggest` meanwhile.
  determining.addListener((item, suggest) => {
    void (async () => {
      if ((await wanted(item)) && (await paired()) && (await handOffDownload(item))) {
        await dropBrowserCopy(item.id);
        return;
      }
      suggest();
    })();
    return true;
  });
} else {
  // Firefox: the name is chosen before the download is created. Pause it at once (asking
  // Ferry may take a while the first time, and a small file would be done by then), and let
  // it go on unless Ferry takes it.
  ext.downloads.onCreated.addListener((item) => {
    void (async () => {
      if (item.state !== 'in_progress' || !(await wanted(item))) return;
      await ext.downloads.pause(item.id).catch(() => undefined);
      if ((await paired()) && (await handOffDownload(item))) await dropBrowserCopy(item.id);
      else await ext.downloads.resume(item.id).catch(() => undefined);
    })();
  });
}

// --- context menus -------------------------------------------------------------------------

async function createMenus(): Promise<void> {
  await ext.contextMenus.removeAll();
  const web = ['http://*/*', 'https://*/*'];
  ext.contextMenus.create({
    id: MENU.link,
    title: t('menuDownloadLink'),
    contexts: ['link'],
    targetUrlPatterns: web,
  });
  ext.contextMenus.create({
    id: MENU.media,
    title: t('menuDownloadMedia'),
    contexts: ['image', 'video', 'audio'],
    targetUrlPatterns: web,
  });
  ext.contextMenus.create({
    id: MENU.selection,
    title: t('menuDownloadSelection'),
    contexts: ['selection'],
  });
}

ext.runtime.onInstalled.addListener(() => {
  void createMenus();
});
ext.runtime.onStartup.addListener(() => {
  void createMenus();
});

/** What a menu item does; also reachable as `self.ferryMenus.click` for automation. */
async function onMenuClicked(info: MenuClickInfo, tab?: Tab): Promise<void> {
  const page = info.frameUrl ?? info.pageUrl;
  if (info.menuItemId === MENU.link || info.menuItemId === MENU.media) {
    const url = info.menuItemId === MENU.link ? info.linkUrl : info.srcUrl;
    if (url === undefined || !/^https?:\/\//i.test(url)) return;
    await sendHandOff([await handOffItem(url, page, '')]);
    return;
  }
  if (info.menuItemId === MENU.selection && tab?.id !== undefined) {
    const answer = await ext.tabs
      .sendMessage(tab.id, { kind: 'selectionLinks' }, { frameId: info.frameId ?? 0 })
      .catch(() => null);
    const parsed = selectionLinksSchema.safeParse(answer);
    const urls = parsed.success ? parsed.data.urls.filter((u) => /^https?:\/\//i.test(u)) : [];
    if (urls.length === 0) {
      showProblem(new FerryLinkError('INPUT_INVALID', t('noLinksInSelection')));
      return;
    }
    try {
      const referrer = page !== undefined && /^https?:\/\//i.test(page) ? page : undefined;
      const { windows } = await link.call({
        kind: 'openAdd',
        urls,
        ...(referrer === undefined ? {} : { referrer }),
      });
      if (windows === 0) showProblem(new FerryLinkError('RPC_UNREACHABLE', t('noFerryWindow')));
    } catch (error) {
      showProblem(error);
    }
  }
}

ext.contextMenus.onClicked.addListener((info, tab) => {
  void onMenuClicked(info, tab);
});

Object.assign(globalThis, { ferryMenus: { click: onMenuClicked } });

// --- the extension's own messages ----------------------------------------------------------

async function popupState(): Promise<PopupState> {
  const status = await link.connect();
  const captureEnabled = (await settings).enabled;
  let recent: PopupState['recent'] = [];
  if (status === 'paired') {
    recent = await link
      .call({ kind: 'recent', limit: 8 })
      .then((reply) => reply.downloads)
      .catch(() => []);
  }
  return { ...link.status, captureEnabled, recent };
}

async function answer(message: InternalMessage, sender: MessageSender): Promise<unknown> {
  switch (message.kind) {
    case 'bypass':
      if (sender.tab === undefined) return null;
      bypasses.set(message.url, Date.now() + BYPASS_MS);
      return null;
    case 'popupState':
      return popupState();
    case 'retry':
      await link.retry();
      return popupState();
  }
}

ext.runtime.onMessage.addListener((raw, sender, sendResponse) => {
  if (sender.id !== ext.runtime.id) return undefined;
  const parsed = internalMessageSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  answer(parsed.data, sender).then(sendResponse, () => {
    sendResponse(null);
  });
  return true;
});

// --- badge ---------------------------------------------------------------------------------

const BADGES: Readonly<Record<LinkStatus, { text: string; title: string; color: string }>> = {
  paired: { text: '', title: 'statusPaired', color: '#2e7d32' },
  pending: { text: '…', title: 'statusPending', color: '#f9a825' },
  denied: { text: '✕', title: 'statusDenied', color: '#c62828' },
  connecting: { text: '', title: 'statusConnecting', color: '#607d8b' },
  unreachable: { text: '!', title: 'statusUnreachable', color: '#c62828' },
};

function showStatus(status: LinkStatus): void {
  const badge = BADGES[status];
  void ext.action.setBadgeText({ text: badge.text });
  void ext.action.setBadgeBackgroundColor({ color: badge.color });
  void ext.action.setTitle({ title: t(badge.title) });
}

function showProblem(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  void ext.action.setBadgeText({ text: '!' });
  void ext.action.setBadgeBackgroundColor({ color: '#c62828' });
  void ext.action.setTitle({ title: `${t('extName')}: ${message}` });
}
