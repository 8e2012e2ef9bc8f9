import type { RecentDownload } from '../../app/browser.js';
import { CAPTURE_SETTINGS_KEY, parseCaptureSettings } from './capture-settings.js';
import { localisePage, t } from './i18n.js';
import type { PopupState } from './messages.js';
import { ext } from './webext.js';

/**
 * The toolbar popup: whether Ferry is reachable and has paired this extension, the latest
 * downloads with their progress (refreshed every second while open), and the capture switch.
 */

const STATUS_TEXT: Readonly<Record<PopupState['status'], string>> = {
  paired: 'statusPaired',
  pending: 'statusPending',
  denied: 'statusDenied',
  connecting: 'statusConnecting',
  unreachable: 'statusUnreachable',
};

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`popup.html lacks #${id}`);
  return found;
}

const statusLine = element('status', HTMLParagraphElement);
const errorLine = element('error', HTMLParagraphElement);
const capture = element('capture', HTMLInputElement);
const list = element('recent', HTMLUListElement);
const retry = element('retry', HTMLButtonElement);
const options = element('options', HTMLButtonElement);

function isPopupState(value: unknown): value is PopupState {
  return typeof value === 'object' && value !== null && 'status' in value && 'recent' in value;
}

function percent(download: RecentDownload): number | null {
  if (download.bytesTotal === null || download.bytesTotal === 0) return null;
  return Math.min(100, Math.round((download.bytesTransferred / download.bytesTotal) * 100));
}

function render(state: PopupState): void {
  document.body.dataset['status'] = state.status;
  statusLine.textContent = t(STATUS_TEXT[state.status]);
  errorLine.textContent = state.status === 'paired' ? '' : state.error;
  capture.checked = state.captureEnabled;
  retry.hidden = state.status === 'paired' || state.status === 'pending';
  const rows = state.recent.map((download) => {
    const row = document.createElement('li');
    row.dataset['state'] = download.state;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = download.name;
    const bar = document.createElement('progress');
    bar.max = 100;
    const value = percent(download);
    if (value !== null) bar.value = value;
    const state = document.createElement('span');
    state.className = 'state';
    state.textContent = t(`state_${download.state}`);
    row.append(name, bar, state);
    return row;
  });
  if (rows.length === 0 && state.status === 'paired') {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = t('noDownloads');
    rows.push(empty);
  }
  list.replaceChildren(...rows);
}

async function refresh(kind: 'popupState' | 'retry' = 'popupState'): Promise<void> {
  const state = await ext.runtime.sendMessage({ kind });
  if (isPopupState(state)) render(state);
}

capture.addEventListener('change', () => {
  void (async () => {
    const stored = await ext.storage.local.get(CAPTURE_SETTINGS_KEY);
    const current = parseCaptureSettings(stored[CAPTURE_SETTINGS_KEY]);
    await ext.storage.local.set({
      [CAPTURE_SETTINGS_KEY]: { ...current, enabled: capture.checked },
    });
  })();
});
retry.addEventListener('click', () => {
  void refresh('retry');
});
options.addEventListener('click', () => {
  void ext.runtime.openOptionsPage();
});

localisePage();
void refresh();
setInterval(() => {
  void refresh();
}, 1000);
