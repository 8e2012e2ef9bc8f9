import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icons.js';
import type { IconName } from '../../components/icons.js';
import { jobSelectors } from '../../store/selectors.js';
import type { JobAction } from '../../store/selectors.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { useGlobalAction, useRequestAction } from './job-actions.js';

/** Keyboard shortcut of each toolbar action (handled in app-shortcuts.ts). */
export const ACTION_KEYS: Partial<Record<JobAction, string>> = {
  resume: 'R',
  suspend: 'P',
  retry: 'R',
  complete: 'C',
  cancel: 'Shift+Delete',
  remove: 'Delete',
};

const SELECTION_BUTTONS: readonly { action: JobAction; icon: IconName }[] = [
  { action: 'resume', icon: 'start' },
  { action: 'suspend', icon: 'pause' },
  { action: 'retry', icon: 'retrying' },
  { action: 'cancel', icon: 'cancelled' },
  { action: 'remove', icon: 'remove' },
];

/**
 * The main toolbar: Add; Resume, Pause, Retry, Cancel and Remove for the selection (each
 * enabled when it applies to at least one selected download); Start all, Pause all and Clear
 * finished for every download; Settings. Labels give way to icons in a narrow window, and keep
 * their text as the button's name and tooltip.
 */
export function Toolbar() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const request = useRequestAction();
  const runGlobal = useGlobalAction();
  const enabled = useFerryStore(useShallow(jobSelectors.enabledActions));
  const global = useFerryStore(useShallow(jobSelectors.globalTargets));
  const button = (
    key: string,
    icon: IconName,
    label: string,
    disabled: boolean,
    onClick: () => void,
    extra: { className?: string; shortcut?: string } = {},
  ) => (
    <button
      key={key}
      type="button"
      data-action={key}
      className={`tool ${extra.className ?? ''}`}
      disabled={disabled}
      title={extra.shortcut === undefined ? label : `${label} (${extra.shortcut})`}
      aria-label={label}
      aria-keyshortcuts={extra.shortcut}
      onClick={onClick}
    >
      <Icon name={icon} />
      <span className="tool-label">{label}</span>
    </button>
  );
  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      {button(
        'add',
        'add',
        t('toolbar.add'),
        false,
        () => {
          store.getState().openAddDialog('');
        },
        { className: 'primary', shortcut: 'N' },
      )}
      <span className="tool-group" role="group" aria-label={t('toolbar.selection')}>
        {SELECTION_BUTTONS.map(({ action, icon }) =>
          button(
            action,
            icon,
            t(`actions.${action}`),
            !enabled[action],
            () => {
              request(action, [...store.getState().selected]);
            },
            {
              ...(action === 'cancel' || action === 'remove' ? { className: 'danger-text' } : {}),
              ...(ACTION_KEYS[action] === undefined ? {} : { shortcut: ACTION_KEYS[action] }),
            },
          ),
        )}
      </span>
      <span className="spacer" />
      <span className="tool-group everything" role="group" aria-label={t('toolbar.everything')}>
        {button('startAll', 'start', t('toolbar.startAll'), global.start === 0, () => {
          runGlobal('startAll');
        })}
        {button('pauseAll', 'pause', t('toolbar.pauseAll'), global.pause === 0, () => {
          runGlobal('pauseAll');
        })}
        {button('clearFinished', 'clear', t('toolbar.clearFinished'), global.clear === 0, () => {
          runGlobal('clearFinished');
        })}
      </span>
      {button('settings', 'settings', t('toolbar.settings'), false, () => {
        store.getState().openSettings();
      })}
    </div>
  );
}
