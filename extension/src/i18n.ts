import { ext } from './webext.js';

/**
 * The extension's strings, from `_locales/<lang>/messages.json` (English and French).
 *
 * Pages mark their text with `data-i18n="key"`; `localisePage` fills it in, so the HTML holds
 * no user-visible English of its own.
 */
export function t(key: string, ...substitutions: string[]): string {
  const text = ext.i18n.getMessage(key, substitutions);
  return text === '' ? key : text;
}

/** Fills every `[data-i18n]` element's text and every `[data-i18n-title]` title. */
export function localisePage(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset['i18n'] ?? '');
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) {
    element.title = t(element.dataset['i18nTitle'] ?? '');
  }
  // The language the messages came in, which may differ from the browser's own UI language.
  document.documentElement.lang = t('locale');
}
