import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../app/contract.js';
import { DROP_ACTIONS, LANGUAGES, THEMES } from '../../../app/model/app-settings.js';
import type { AppSettings } from '../../../app/model/app-settings.js';
import { useClient } from '../../client/client-context.js';
import { Modal } from '../../components/modal.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { engineValue, fromFormValue, presentFields, toFormValue } from './engine-fields.js';

type AppDraft = Pick<
  AppSettings,
  'downloadFolder' | 'notifications' | 'theme' | 'language' | 'dropAction'
>;

function SettingsForm({ view }: { readonly view: SettingsView }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const host = useFerryStore((s) => s.hostInfo);
  const fields = presentFields(view.engine);
  const [engine, setEngine] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, toFormValue(f, engineValue(view.engine, f.key))])),
  );
  const [app, setApp] = useState<AppDraft>({
    downloadFolder: view.app.downloadFolder,
    notifications: view.app.notifications,
    theme: view.app.theme,
    language: view.app.language,
    dropAction: view.app.dropAction,
  });
  const [problem, setProblem] = useState<string | null>(null);
  const base = useId();
  const close = () => {
    store.getState().closeDialog();
  };

  const save = async () => {
    const enginePatch: Record<string, string | number> = {};
    for (const f of fields) {
      const text = engine[f.key] ?? '';
      if (text === toFormValue(f, engineValue(view.engine, f.key))) continue;
      const value = fromFormValue(f, text);
      if (value === null) {
        setProblem(`${t(`settings.${f.key}`, { defaultValue: f.key })}: ${text}`);
        return;
      }
      enginePatch[f.key] = value;
    }
    try {
      const next = await client.invoke('settings.set', {
        // The host validates every field against the contract's schema.
        ...(Object.keys(enginePatch).length > 0 ? { engine: enginePatch } : {}),
        app,
      });
      store.getState().settingsLoaded(next);
      store.getState().pushNotice(t('settings.saved'), 'info');
      close();
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend>{t('settings.engine')}</legend>
        <div className="field">
          <label htmlFor={`${base}-folder`}>{t('settings.downloadFolder')}</label>
          <input
            id={`${base}-folder`}
            value={app.downloadFolder}
            spellCheck={false}
            placeholder={t('settings.downloadFolderHint')}
            onChange={(e) => {
              setApp({ ...app, downloadFolder: e.target.value });
            }}
          />
        </div>
        {fields.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`${base}-${f.key}`}>
              {t(`settings.${f.key}`, { defaultValue: f.key })}
            </label>
            <input
              id={`${base}-${f.key}`}
              name={f.key}
              type={f.kind === 'text' ? 'text' : 'number'}
              min={f.min}
              max={f.max}
              value={engine[f.key] ?? ''}
              onChange={(e) => {
                setEngine({ ...engine, [f.key]: e.target.value });
              }}
            />
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.app')}</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={app.notifications}
            onChange={(e) => {
              setApp({ ...app, notifications: e.target.checked });
            }}
          />{' '}
          {t('settings.notifications')}
        </label>
        <div className="field">
          <label htmlFor={`${base}-theme`}>{t('settings.theme')}</label>
          <select
            id={`${base}-theme`}
            value={app.theme}
            onChange={(e) => {
              setApp({ ...app, theme: THEMES.find((x) => x === e.target.value) ?? 'system' });
            }}
          >
            {THEMES.map((x) => (
              <option key={x} value={x}>
                {t(`settings.themes.${x}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-language`}>{t('settings.language')}</label>
          <select
            id={`${base}-language`}
            value={app.language}
            onChange={(e) => {
              setApp({ ...app, language: LANGUAGES.find((x) => x === e.target.value) ?? 'en' });
            }}
          >
            {LANGUAGES.map((x) => (
              <option key={x} value={x} lang={x}>
                {t(`settings.languages.${x}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-drop`}>{t('settings.dropAction')}</label>
          <select
            id={`${base}-drop`}
            value={app.dropAction}
            onChange={(e) => {
              setApp({
                ...app,
                dropAction: DROP_ACTIONS.find((x) => x === e.target.value) ?? 'dialog',
              });
            }}
          >
            {DROP_ACTIONS.map((x) => (
              <option key={x} value={x}>
                {t(`settings.dropActions.${x}`)}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      {host !== null && (
        <section aria-label={t('settings.about')}>
          <h3>{t('settings.about')}</h3>
          <dl>
            <dt>{t('settings.dataDir')}</dt>
            <dd data-field="dataDir">{host.dataDir}</dd>
            <dt>{t('settings.host')}</dt>
            <dd>{t(`settings.hosts.${host.host}`)}</dd>
            <dt>{t('settings.version')}</dt>
            <dd>{host.version}</dd>
          </dl>
        </section>
      )}
      {problem !== null && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={close}>
          {t('settings.close')}
        </button>
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
      </div>
    </form>
  );
}

/** Engine and window settings, and where the data lives. */
export function SettingsDialog() {
  const { t } = useTranslation();
  const store = useFerryStoreApi();
  const view = useFerryStore((s) => s.settings);
  return (
    <Modal
      title={t('settings.title')}
      className="settings-dialog"
      onClose={() => {
        store.getState().closeDialog();
      }}
    >
      {view === null ? (
        <p className="muted">{t('connection.connecting')}</p>
      ) : (
        <SettingsForm view={view} />
      )}
    </Modal>
  );
}
