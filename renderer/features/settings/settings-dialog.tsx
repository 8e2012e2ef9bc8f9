import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { engineSettingsPatch } from '../../../app/commands.js';
import type { SettingsView } from '../../../app/contract.js';
import { DROP_ACTIONS, LANGUAGES, THEMES } from '../../../app/model/app-settings.js';
import type { AppSettings } from '../../../app/model/app-settings.js';
import type { FolderRule } from '../../../app/model/folder-rules.js';
import type { Weekday } from '../../../app/model/settings.js';
import { useClient } from '../../client/client-context.js';
import { Modal } from '../../components/modal.js';
import { BrowserSettings } from '../browser/browser-settings.js';
import { UnitInput } from '../../components/unit-input.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import {
  engineValue,
  inBounds,
  presentFields,
  SETTINGS_SECTIONS,
  SPEED_LIMIT_UNITS,
  unitsOf,
} from './engine-fields.js';
import type { EngineField, SettingsSection } from './engine-fields.js';
import { draftOfRule, ScheduleEditor } from './schedule-editor.js';
import { draftOfProxy, ProxyEditor, proxyOfDraft } from './proxy-editor.js';
import type { ProxyDraft } from './proxy-editor.js';
import type { RuleDraft } from './schedule-editor.js';

type AppDraft = Pick<
  AppSettings,
  | 'downloadFolder'
  | 'notifications'
  | 'theme'
  | 'language'
  | 'dropAction'
  | 'completeWhenDone'
  | 'folderRules'
  | 'pauseOnLock'
>;

/** One engine field as the form holds it: a base-unit number (null mid-typing) or text. */
type FieldDraft = number | string | null;

function Field({
  label,
  children,
}: {
  readonly label: string;
  readonly children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

function EngineInput({
  field,
  value,
  onChange,
}: {
  readonly field: EngineField;
  readonly value: FieldDraft;
  readonly onChange: (value: FieldDraft) => void;
}) {
  const { t } = useTranslation();
  const label = t(`settings.fields.${field.key}`, { defaultValue: field.key });
  const units = unitsOf(field);
  return (
    <Field label={label}>
      {(id) =>
        units !== null ? (
          <UnitInput
            id={id}
            label={label}
            value={typeof value === 'number' ? value : 0}
            units={units}
            onChange={onChange}
          />
        ) : field.kind === 'text' ? (
          <input
            id={id}
            name={field.key}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => {
              onChange(e.target.value);
            }}
          />
        ) : (
          <input
            id={id}
            name={field.key}
            type="number"
            min={field.min}
            max={field.max}
            value={typeof value === 'number' ? value : ''}
            onChange={(e) => {
              onChange(e.target.value === '' ? null : Number(e.target.value));
            }}
          />
        )
      }
    </Field>
  );
}

function FolderRules({
  rules,
  onChange,
}: {
  readonly rules: readonly FolderRule[];
  readonly onChange: (rules: readonly FolderRule[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="folder-rules">
      <legend>{t('settings.rules.title')}</legend>
      <p className="muted">{t('settings.rules.hint')}</p>
      {rules.map((rule, i) => (
        <Field key={rule.category} label={t(`settings.rules.${rule.category}`)}>
          {(id) => (
            <input
              id={id}
              value={rule.folder}
              spellCheck={false}
              placeholder={t('settings.rules.off')}
              title={rule.extensions.join(', ')}
              onChange={(e) => {
                onChange(rules.map((r, k) => (k === i ? { ...r, folder: e.target.value } : r)));
              }}
            />
          )}
        </Field>
      ))}
    </fieldset>
  );
}

function SettingsForm({ view }: { readonly view: SettingsView }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const host = useFerryStore((s) => s.hostInfo);
  const fields = presentFields(view.engine);
  const [section, setSection] = useState<SettingsSection>('general');
  const [engine, setEngine] = useState<Record<string, FieldDraft>>(() =>
    Object.fromEntries(
      fields.map((f) => {
        const v = engineValue(view.engine, f.key);
        return [f.key, typeof v === 'number' || typeof v === 'string' ? v : null];
      }),
    ),
  );
  const [limitOn, setLimitOn] = useState(view.engine.speedLimit > 0);
  const [limit, setLimit] = useState<number | null>(
    view.engine.speedLimit > 0 ? view.engine.speedLimit : view.app.speedLimitPreset,
  );
  // A host of an older version has no background limit: the field is then left out.
  const backgroundBefore = engineValue(view.engine, 'backgroundSpeedLimit');
  const [backgroundLimit, setBackgroundLimit] = useState<number | null>(
    typeof backgroundBefore === 'number' ? backgroundBefore : null,
  );
  const [rules, setRules] = useState<readonly RuleDraft[]>(() =>
    view.engine.speedSchedule.map(draftOfRule),
  );
  const [proxy, setProxy] = useState<ProxyDraft>(() => draftOfProxy(view.engine.defaultProxy));
  const [app, setApp] = useState<AppDraft>({
    downloadFolder: view.app.downloadFolder,
    notifications: view.app.notifications,
    theme: view.app.theme,
    language: view.app.language,
    dropAction: view.app.dropAction,
    completeWhenDone: view.app.completeWhenDone,
    folderRules: view.app.folderRules,
    pauseOnLock: view.app.pauseOnLock,
  });
  const [problem, setProblem] = useState<string | null>(null);
  const base = useId();
  const close = () => {
    store.getState().closeDialog();
  };

  const save = async () => {
    const enginePatch: Record<string, unknown> = {};
    for (const f of fields) {
      const value = engine[f.key];
      if (value === engineValue(view.engine, f.key)) continue;
      const label = t(`settings.fields.${f.key}`, { defaultValue: f.key });
      if (
        value === null ||
        value === undefined ||
        (typeof value === 'number' && !inBounds(f, value))
      ) {
        setSection(f.section);
        setProblem(t('settings.badValue', { field: label }));
        return;
      }
      enginePatch[f.key] = value;
    }
    if (limitOn && (limit === null || limit <= 0)) {
      setSection('speed');
      setProblem(t('settings.badValue', { field: t('settings.speed.limit') }));
      return;
    }
    const schedule = [];
    for (const rule of rules) {
      if (rule.speedLimit === null || rule.days.length === 0) {
        setSection('speed');
        setProblem(t('settings.schedule.bad'));
        return;
      }
      schedule.push({
        days: [...rule.days] as Weekday[],
        start: rule.start,
        end: rule.end === '00:00' ? '24:00' : rule.end,
        speedLimit: rule.speedLimit,
      });
    }
    const speedLimit = limitOn && limit !== null ? limit : 0;
    if (speedLimit !== view.engine.speedLimit) enginePatch.speedLimit = speedLimit;
    if (typeof backgroundBefore === 'number') {
      if (backgroundLimit === null) {
        setSection('speed');
        setProblem(t('settings.badValue', { field: t('settings.speed.background') }));
        return;
      }
      if (backgroundLimit !== backgroundBefore) enginePatch.backgroundSpeedLimit = backgroundLimit;
    }
    if (JSON.stringify(schedule) !== JSON.stringify(view.engine.speedSchedule)) {
      enginePatch.speedSchedule = schedule;
    }
    const defaultProxy = proxyOfDraft(proxy);
    if (defaultProxy.usage === 'OVERRIDE' && defaultProxy.proxyList.length === 0) {
      setSection('network');
      setProblem(t('settings.network.noProxy'));
      return;
    }
    if (JSON.stringify(defaultProxy) !== JSON.stringify(view.engine.defaultProxy)) {
      enginePatch.defaultProxy = defaultProxy;
    }
    // The contract's own schema, so a bad value is named here as the host would name it.
    const parsed = engineSettingsPatch.safeParse(enginePatch);
    if (!parsed.success) {
      setProblem(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
      return;
    }
    try {
      const next = await client.invoke('settings.set', {
        ...(Object.keys(parsed.data).length > 0 ? { engine: parsed.data } : {}),
        app: {
          ...app,
          folderRules: app.folderRules.map((r) => ({ ...r, extensions: [...r.extensions] })),
          ...(limit !== null && limit > 0 ? { speedLimitPreset: limit } : {}),
        },
      });
      store.getState().settingsLoaded(next);
      store.getState().pushNotice({ key: 'settings.saved', kind: 'info' });
      close();
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };

  const engineFields = (s: SettingsSection) =>
    fields
      .filter((f) => f.section === s)
      .map((f) => (
        <EngineInput
          key={f.key}
          field={f}
          value={engine[f.key] ?? null}
          onChange={(v) => {
            setEngine((d) => ({ ...d, [f.key]: v }));
          }}
        />
      ));

  const panels: Record<SettingsSection, ReactNode> = {
    general: (
      <>
        <Field label={t('settings.downloadFolder')}>
          {(id) => (
            <input
              id={id}
              value={app.downloadFolder}
              spellCheck={false}
              placeholder={t('settings.downloadFolderHint')}
              onChange={(e) => {
                setApp({ ...app, downloadFolder: e.target.value });
              }}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={app.completeWhenDone}
            onChange={(e) => {
              setApp({ ...app, completeWhenDone: e.target.checked });
            }}
          />{' '}
          {t('settings.completeWhenDone')}
        </label>
        <Field label={t('settings.dropAction')}>
          {(id) => (
            <select
              id={id}
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
          )}
        </Field>
        <div className="row">
          <Field label={t('settings.theme')}>
            {(id) => (
              <select
                id={id}
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
            )}
          </Field>
          <Field label={t('settings.language')}>
            {(id) => (
              <select
                id={id}
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
            )}
          </Field>
        </div>
        <FolderRules
          rules={app.folderRules}
          onChange={(folderRules) => {
            setApp({ ...app, folderRules });
          }}
        />
      </>
    ),
    connections: <>{engineFields('connections')}</>,
    speed: (
      <>
        <label className="check">
          <input
            type="checkbox"
            checked={limitOn}
            onChange={(e) => {
              setLimitOn(e.target.checked);
            }}
          />{' '}
          {t('settings.speed.limitOn')}
        </label>
        <Field label={t('settings.speed.limit')}>
          {(id) => (
            <UnitInput
              id={id}
              label={t('settings.speed.limit')}
              value={limit ?? 0}
              units={SPEED_LIMIT_UNITS}
              onChange={setLimit}
            />
          )}
        </Field>
        <p className="muted">{t('settings.speed.hint')}</p>
        <p className="muted" data-help="speed-limit">
          {t('settings.speed.globalHelp')}
        </p>
        {typeof backgroundBefore === 'number' && (
          <>
            <Field label={t('settings.speed.background')}>
              {(id) => (
                <UnitInput
                  id={id}
                  label={t('settings.speed.background')}
                  value={backgroundLimit ?? 0}
                  units={SPEED_LIMIT_UNITS}
                  onChange={setBackgroundLimit}
                />
              )}
            </Field>
            <p className="muted" data-help="background-speed-limit">
              {t('settings.speed.backgroundHelp')}
            </p>
          </>
        )}
        <ScheduleEditor rules={rules} onChange={setRules} />
      </>
    ),
    network: (
      <>
        <ProxyEditor draft={proxy} onChange={setProxy} />
        {engineFields('network')}
        <p className="muted" data-help="extra-ca">
          {t('settings.network.caHelp')}
        </p>
      </>
    ),
    notifications: (
      <>
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
        {host?.host === 'desktop' && (
          <label className="check">
            <input
              type="checkbox"
              checked={app.pauseOnLock}
              onChange={(e) => {
                setApp({ ...app, pauseOnLock: e.target.checked });
              }}
            />{' '}
            {t('shell.pauseOnLock')}
          </label>
        )}
      </>
    ),
    advanced: (
      <>
        {engineFields('advanced')}
        <BrowserSettings />
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
      </>
    ),
  };

  return (
    <form
      className="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="settings-layout">
        <div
          className="settings-tabs"
          role="tablist"
          aria-orientation="vertical"
          aria-label={t('settings.title')}
        >
          {SETTINGS_SECTIONS.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              id={`${base}-tab-${s}`}
              aria-selected={section === s}
              aria-controls={`${base}-panel`}
              tabIndex={section === s ? 0 : -1}
              onClick={() => {
                setSection(s);
              }}
              onKeyDown={(e) => {
                const i = SETTINGS_SECTIONS.indexOf(s);
                const next =
                  e.key === 'ArrowDown'
                    ? SETTINGS_SECTIONS[(i + 1) % SETTINGS_SECTIONS.length]
                    : e.key === 'ArrowUp'
                      ? SETTINGS_SECTIONS[
                          (i - 1 + SETTINGS_SECTIONS.length) % SETTINGS_SECTIONS.length
                        ]
                      : undefined;
                if (next === undefined) return;
                e.preventDefault();
                setSection(next);
                document.getElementById(`${base}-tab-${next}`)?.focus();
              }}
            >
              {t(`settings.sections.${s}`)}
            </button>
          ))}
        </div>
        <div
          className="settings-panel"
          role="tabpanel"
          id={`${base}-panel`}
          aria-labelledby={`${base}-tab-${section}`}
        >
          {panels[section]}
        </div>
      </div>
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

/** Settings in sections (General, Connections, Speed, Network, Notifications, Advanced). */
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
