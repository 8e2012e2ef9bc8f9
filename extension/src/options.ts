import type { BypassKey, CaptureSettings } from './capture-settings.js';
import {
  BYPASS_KEYS,
  CAPTURE_SETTINGS_KEY,
  parseCaptureSettings,
  splitList,
} from './capture-settings.js';
import { localisePage, t } from './i18n.js';
import { ext } from './webext.js';

/** The options page: what Ferry takes from the browser, and what it is told. */

function field<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`options.html lacks #${id}`);
  return found;
}

const form = field('settings', HTMLFormElement);
const enabled = field('enabled', HTMLInputElement);
const minMegabytes = field('min-size', HTMLInputElement);
const fileTypes = field('file-types', HTMLTextAreaElement);
const excluded = field('excluded-sites', HTMLTextAreaElement);
const shareCookies = field('share-cookies', HTMLInputElement);
const bypassKey = field('bypass-key', HTMLSelectElement);
const saved = field('saved', HTMLOutputElement);

const MIB = 1024 * 1024;

function show(settings: CaptureSettings): void {
  enabled.checked = settings.enabled;
  minMegabytes.value = String(Math.round((settings.minBytes / MIB) * 10) / 10);
  fileTypes.value = settings.fileTypes.join(' ');
  excluded.value = settings.excludedSites.join('\n');
  shareCookies.checked = settings.shareCookies;
  bypassKey.value = settings.bypassKey;
}

function read(): CaptureSettings {
  const key = BYPASS_KEYS.find((k): k is BypassKey => k === bypassKey.value) ?? 'alt';
  const megabytes = Number(minMegabytes.value);
  return parseCaptureSettings({
    enabled: enabled.checked,
    minBytes:
      Number.isFinite(megabytes) && megabytes >= 0 ? Math.round(megabytes * MIB) : undefined,
    fileTypes: splitList(fileTypes.value)
      .map((type) => type.toLowerCase())
      .filter((type) => /^[a-z0-9]{1,16}$/.test(type)),
    excludedSites: splitList(excluded.value)
      .map((site) => site.toLowerCase())
      .filter((site) => /^[a-z0-9.-]{1,253}$/.test(site)),
    shareCookies: shareCookies.checked,
    bypassKey: key,
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const settings = read();
  void ext.storage.local.set({ [CAPTURE_SETTINGS_KEY]: settings }).then(() => {
    show(settings);
    saved.textContent = t('optionsSaved');
  });
});

localisePage();
void ext.storage.local.get(CAPTURE_SETTINGS_KEY).then((stored) => {
  show(parseCaptureSettings(stored[CAPTURE_SETTINGS_KEY]));
});
