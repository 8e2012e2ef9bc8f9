import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPercent } from '../i18n/format.js';
import { jobSelectors } from '../store/selectors.js';
import { useFerryStore } from '../store/use-ferry-store.js';

/**
 * The window's title shows overall progress while downloads run ("42 % · Ferry"), so it
 * reads from the taskbar or a browser tab; just "Ferry" otherwise.
 */
export function useWindowTitle(): void {
  const { t, i18n } = useTranslation();
  const progress = useFerryStore((s) => {
    const p = jobSelectors.overallProgress(s);
    // Whole percents only: the title changes at most a hundred times per download.
    return p === null ? null : Math.floor(p * 100) / 100;
  });
  useEffect(() => {
    document.title =
      progress === null
        ? t('app.title')
        : t('app.titleProgress', { percent: formatPercent(progress, i18n.language) });
  }, [progress, t, i18n.language]);
}
