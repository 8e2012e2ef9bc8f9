import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { JOB_ACTIONS, jobSelectors } from '../../store/selectors.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { useRequestAction } from './job-actions.js';

/** Keyboard shortcut of each action (handled in app-shortcuts.ts). */
export const ACTION_KEYS = { suspend: 'S', resume: 'R', complete: 'C', cancel: 'Delete' } as const;

/** The main toolbar: add, the four job actions for the selection, settings. */
export function Toolbar() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const request = useRequestAction();
  const enabled = useFerryStore(useShallow(jobSelectors.enabledActions));
  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <button
        type="button"
        className="primary"
        aria-keyshortcuts="N"
        onClick={() => {
          store.getState().openAddDialog('');
        }}
      >
        {t('toolbar.add')}
      </button>
      {JOB_ACTIONS.map((action) => (
        <button
          key={action}
          type="button"
          disabled={!enabled[action]}
          aria-keyshortcuts={ACTION_KEYS[action]}
          className={action === 'cancel' ? 'danger-text' : undefined}
          onClick={() => {
            request(action, [...store.getState().selected]);
          }}
        >
          {t(`toolbar.${action}`)}
        </button>
      ))}
      <span className="spacer" />
      <button
        type="button"
        onClick={() => {
          store.getState().openSettings();
        }}
      >
        {t('toolbar.settings')}
      </button>
    </div>
  );
}
