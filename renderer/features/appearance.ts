import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useFerryStore } from '../store/use-ferry-store.js';

/**
 * Applies the theme and language from the host's settings to the document: `data-theme` on
 * <html> (following the system's preference when asked, live), `lang`, and i18next.
 */
export function useAppearance(): void {
  const { i18n } = useTranslation();
  const theme = useFerryStore((s) => s.settings?.app.theme ?? 'system');
  const language = useFerryStore((s) => s.settings?.app.language ?? 'en');

  useEffect(() => {
    const root = document.documentElement;
    if (theme !== 'system') {
      root.dataset.theme = theme;
      return;
    }
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      root.dataset.theme = query.matches ? 'dark' : 'light';
    };
    apply();
    query.addEventListener('change', apply);
    return () => {
      query.removeEventListener('change', apply);
    };
  }, [theme]);

  useEffect(() => {
    document.documentElement.lang = language;
    if (i18n.language !== language) void i18n.changeLanguage(language);
  }, [i18n, language]);
}
