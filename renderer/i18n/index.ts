import i18next from 'i18next';
import type { i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { fr } from './fr.js';

/** The translations, by language code. */
export const RESOURCES = { en: { translation: en }, fr: { translation: fr } } as const;

/**
 * Starts i18next with both languages bundled (no network: the CSP allows none), English
 * until the host's settings say otherwise.
 */
export async function createI18n(language: 'en' | 'fr' = 'en'): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources: RESOURCES,
    lng: language,
    fallbackLng: 'en',
    // React escapes already.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
