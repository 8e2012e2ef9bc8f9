import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AddDialog } from './features/add-job/add-dialog.js';
import { useAppShortcuts } from './features/app-shortcuts.js';
import { useAppearance } from './features/appearance.js';
import { useWindowTitle } from './features/window-title.js';
import { useDownloadNotices } from './features/status/download-notices.js';
import { DropZone } from './features/drop/drop-zone.js';
import { DetailsPane } from './features/job-details/details-pane.js';
import { useShellSelect } from './features/job-details/use-shell-select.js';
import { FilterBar } from './features/jobs/filter-bar.js';
import { JobActionsProvider, useRequestAction } from './features/jobs/job-actions.js';
import { JobList } from './features/jobs/job-list.js';
import { Toolbar } from './features/jobs/toolbar.js';
import { SettingsDialog } from './features/settings/settings-dialog.js';
import { BrowserIntegration } from './features/browser/browser-integration.js';
import { ConnectionBanner } from './features/status/connection-banner.js';
import { Notices } from './features/status/notices.js';
import { StatusBar } from './features/status/status-bar.js';
import { jobSelectors } from './store/selectors.js';
import { useFerryStore, useFerryStoreApi } from './store/use-ferry-store.js';

function Window() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const request = useRequestAction();
  const dialog = useFerryStore((s) => s.dialog);
  const hasSingle = useFerryStore((s) => jobSelectors.singleSelected(s) !== null);
  const [detailsOpen, setDetailsOpen] = useState(true);
  useAppearance();
  useWindowTitle();
  useDownloadNotices(store);
  useAppShortcuts(store, request);
  const openDetails = useCallback(() => {
    setDetailsOpen(true);
    requestAnimationFrame(() => document.getElementById('details')?.focus());
  }, []);
  useShellSelect(openDetails);

  return (
    <div className="window">
      <a className="skip" href="#job-list">
        {t('app.skipToList')}
      </a>
      <ConnectionBanner />
      <BrowserIntegration />
      <header className="top">
        <h1>{t('app.title')}</h1>
        <Toolbar />
      </header>
      <FilterBar />
      <main className={`body ${detailsOpen && hasSingle ? 'with-details' : ''}`}>
        <JobList onOpenDetails={openDetails} />
        {detailsOpen && hasSingle && (
          <DetailsPane
            onClose={() => {
              setDetailsOpen(false);
            }}
          />
        )}
      </main>
      <StatusBar />
      <Notices />
      <DropZone />
      {dialog.kind === 'add' && <AddDialog initialText={dialog.text} />}
      {dialog.kind === 'settings' && <SettingsDialog />}
    </div>
  );
}

/** The Ferry window. */
export function App() {
  return (
    <JobActionsProvider>
      <Window />
    </JobActionsProvider>
  );
}
