import { useId, useState } from 'react';
import type { SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlannedDownload } from '../../../app/contract.js';
import { JOB_FLAVOURS } from '../../../app/model/job-flavour.js';
import type { JobFlavour } from '../../../app/model/job-flavour.js';
import { JOB_PRIORITIES } from '../../../app/model/priority.js';
import type { JobPriority } from '../../../app/model/priority.js';
import { MAX_CONNECTIONS_PER_FILE } from '../../../app/model/transfer-policy.js';
import { useClient } from '../../client/client-context.js';
import { Icon } from '../../components/icons.js';
import { Modal } from '../../components/modal.js';
import { formatBytes } from '../../i18n/format.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { addDownloads, baseName, checksumText } from './add-downloads.js';
import type { AddResult } from './add-downloads.js';
import { FolderPicker } from './folder-picker.js';
import { urlLines, usePlanPreview, withFolderRules } from './plan-preview.js';

const CONNECTION_CHOICES = Array.from({ length: MAX_CONNECTIONS_PER_FILE }, (_, i) => i + 1);

/** One line of the preview: the name and size the server gave, or why the line is refused. */
function PreviewLine({
  entry,
  locale,
}: {
  readonly entry: PlannedDownload;
  readonly locale: string;
}) {
  const { t } = useTranslation();
  if (!entry.ok) {
    return (
      <li className="refused-line" data-ok="false">
        <Icon name="failed" /> <code title={entry.input}>{entry.input}</code>
        <span className="reason">{entry.error.message}</span>
      </li>
    );
  }
  const name = baseName(entry.localName);
  return (
    <li data-ok="true">
      <Icon name="file" />{' '}
      <span className="name" title={entry.localName}>
        {name}
      </span>
      <span className="size">
        {entry.bytesTotal === null ? t('add.sizeUnknown') : formatBytes(entry.bytesTotal, locale)}
      </span>
    </li>
  );
}

/**
 * The add dialog: URLs (one per line), each becoming its own download unless grouped, with a
 * preview of each name and size from the server and bad lines flagged as you type; a folder
 * (the last one used is offered first; "Browse…" lists the host's folders), priority,
 * connections, start now or paused. Refused lines stay with their reason; the others are
 * added anyway.
 */
export function AddDialog({ initialText }: { readonly initialText: string }) {
  const { t, i18n } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const defaultFolder = useFerryStore(
    (s) =>
      s.settings?.app.lastFolder ||
      s.settings?.app.downloadFolder ||
      (s.hostInfo?.defaultDownloadFolder ?? ''),
  );
  const [text, setText] = useState(initialText);
  const [folder, setFolder] = useState(defaultFolder);
  const [browsing, setBrowsing] = useState(false);
  const [group, setGroup] = useState(false);
  const [priority, setPriority] = useState<JobPriority>('NORMAL');
  const [connections, setConnections] = useState<number | null>(null);
  const [startNow, setStartNow] = useState(true);
  const [flavour, setFlavour] = useState<JobFlavour>('BITS');
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [checksum, setChecksum] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<AddResult | null>(null);
  const preview = usePlanPreview(client, text, folder);
  const ids = {
    urls: useId(),
    folder: useId(),
    priority: useId(),
    connections: useId(),
    flavour: useId(),
    flavourHint: useId(),
    userName: useId(),
    password: useId(),
    credentialsHint: useId(),
    checksum: useId(),
    checksumHint: useId(),
    preview: useId(),
  };
  const close = () => {
    store.getState().closeDialog();
  };
  const lines = urlLines(text);
  const current = preview !== null && preview.text === text && preview.folder === folder;
  const bad = current ? preview.plan.filter((p) => !p.ok).length : 0;

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (lines.length === 0) {
      setProblem(t('add.needUrls'));
      return;
    }
    const target = folder.trim();
    if (target === '') {
      setProblem(t('add.needFolder'));
      return;
    }
    const check = checksumText(checksum);
    if (checksum.trim() !== '' && (lines.length !== 1 || group)) {
      setProblem(t('add.checksumOneFile'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const settings = store.getState().settings;
      const planned = current
        ? preview.plan
        : await client.invoke('downloads.plan', { urls: lines, folder: target, probe: true });
      const plan = await withFolderRules(client, planned, settings?.app.folderRules ?? []);
      const outcome = await addDownloads(client, {
        lines,
        plan,
        folder: target,
        priority,
        connections,
        startNow,
        group,
        flavour,
        ...(userName.trim() === '' ? {} : { credentials: { userName: userName.trim(), password } }),
        ...check,
        completeWhenDone: settings?.app.completeWhenDone ?? true,
        nameFor: (name, others) => (others === 0 ? name : t('add.more', { name, count: others })),
      });
      if (outcome.added > 0) {
        store.getState().pushNotice({
          key: 'notices.added',
          params: { count: outcome.added, name: outcome.displayName ?? '' },
          kind: 'info',
        });
        // Remember the folder for next time, and for the next add in this window at once:
        // the store learns it now, not when the host's answer comes back.
        if (settings?.app.lastFolder !== target) {
          if (settings !== null) {
            store.getState().settingsLoaded({
              ...settings,
              app: { ...settings.app, lastFolder: target },
            });
          }
          void client
            .invoke('settings.set', { app: { lastFolder: target } })
            .then((next) => {
              store.getState().settingsLoaded(next);
            })
            .catch(() => undefined);
        }
      }
      if (outcome.refused.length === 0) {
        close();
        return;
      }
      // Keep only the refused lines so the user can fix them and try again.
      setResult(outcome);
      setText(outcome.refused.map((r) => r.input).join('\n'));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('add.title')} onClose={close} className="add-dialog">
      <form
        onSubmit={(event) => {
          void submit(event);
        }}
      >
        <label htmlFor={ids.urls}>{t('add.urls')}</label>
        <textarea
          id={ids.urls}
          name="urls"
          rows={4}
          value={text}
          autoFocus
          spellCheck={false}
          aria-describedby={ids.preview}
          aria-invalid={bad > 0}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        <div id={ids.preview} className="preview" aria-live="polite">
          {current && preview.plan.length > 0 && (
            <>
              <p className="muted">
                {bad === 0
                  ? t('add.previewOk', { count: preview.plan.length })
                  : t('add.previewBad', { count: bad, total: preview.plan.length })}
              </p>
              <ul>
                {preview.plan.slice(0, 200).map((entry, i) => (
                  <PreviewLine key={i} entry={entry} locale={i18n.language} />
                ))}
              </ul>
            </>
          )}
        </div>
        <label htmlFor={ids.folder}>{t('add.folder')}</label>
        <div className="folder-row">
          <input
            id={ids.folder}
            name="folder"
            value={folder}
            spellCheck={false}
            onChange={(event) => {
              setFolder(event.target.value);
            }}
          />
          <button
            type="button"
            aria-expanded={browsing}
            onClick={() => {
              if (browsing) {
                setBrowsing(false);
                return;
              }
              // The desktop app's own folder dialog; a browser lists the host's folders here.
              client
                .invoke('folders.pick', { start: folder })
                .then((picked) => {
                  if (!picked.supported) setBrowsing(true);
                  else if (picked.path !== null) setFolder(picked.path);
                })
                .catch(() => {
                  setBrowsing(true);
                });
            }}
          >
            <Icon name="folder" /> {t('add.browse')}
          </button>
        </div>
        {browsing && (
          <FolderPicker
            start={folder}
            onPick={(path) => {
              setFolder(path);
              setBrowsing(false);
            }}
            onClose={() => {
              setBrowsing(false);
            }}
          />
        )}
        {lines.length > 1 && (
          <label className="check">
            <input
              type="checkbox"
              checked={group}
              onChange={(e) => {
                setGroup(e.target.checked);
              }}
            />{' '}
            {t('add.group')}
          </label>
        )}
        <div className="options">
          <span className="field">
            <label htmlFor={ids.priority}>{t('add.priority')}</label>
            <select
              id={ids.priority}
              value={priority}
              onChange={(event) => {
                setPriority(JOB_PRIORITIES.find((p) => p === event.target.value) ?? 'NORMAL');
              }}
            >
              {JOB_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priorities.${p}`)}
                </option>
              ))}
            </select>
          </span>
          <span className="field">
            <label htmlFor={ids.connections}>{t('add.connections')}</label>
            <select
              id={ids.connections}
              value={connections ?? ''}
              onChange={(event) => {
                setConnections(event.target.value === '' ? null : Number(event.target.value));
              }}
            >
              <option value="">{t('add.connectionsDefault')}</option>
              {CONNECTION_CHOICES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </span>
          <fieldset>
            <legend>{t('add.start')}</legend>
            <label>
              <input
                type="radio"
                name="start"
                checked={startNow}
                onChange={() => {
                  setStartNow(true);
                }}
              />{' '}
              {t('add.startNow')}
            </label>
            <label>
              <input
                type="radio"
                name="start"
                checked={!startNow}
                onChange={() => {
                  setStartNow(false);
                }}
              />{' '}
              {t('add.addSuspended')}
            </label>
          </fieldset>
        </div>
        <details className="advanced-options">
          <summary>{t('add.advanced')}</summary>
          <span className="field">
            <label htmlFor={ids.flavour}>{t('add.flavour')}</label>
            <select
              id={ids.flavour}
              value={flavour}
              aria-describedby={ids.flavourHint}
              onChange={(event) => {
                setFlavour(JOB_FLAVOURS.find((f) => f === event.target.value) ?? 'BITS');
              }}
            >
              {JOB_FLAVOURS.map((f) => (
                <option key={f} value={f}>
                  {t(`flavours.${f}`)}
                </option>
              ))}
            </select>
          </span>
          <p className="muted" id={ids.flavourHint}>
            {t('add.flavourHint')}
          </p>
          <span className="field">
            <label htmlFor={ids.userName}>{t('add.userName')}</label>
            <input
              id={ids.userName}
              value={userName}
              autoComplete="off"
              aria-describedby={ids.credentialsHint}
              onChange={(event) => {
                setUserName(event.target.value);
              }}
            />
          </span>
          <span className="field">
            <label htmlFor={ids.password}>{t('add.password')}</label>
            <input
              id={ids.password}
              type="password"
              value={password}
              autoComplete="off"
              aria-describedby={ids.credentialsHint}
              onChange={(event) => {
                setPassword(event.target.value);
              }}
            />
          </span>
          <p className="muted" id={ids.credentialsHint}>
            {t('add.credentialsHint')}
          </p>
          <span className="field">
            <label htmlFor={ids.checksum}>{t('add.checksum')}</label>
            <input
              id={ids.checksum}
              value={checksum}
              spellCheck={false}
              placeholder="sha256:…"
              aria-describedby={ids.checksumHint}
              onChange={(event) => {
                setChecksum(event.target.value);
              }}
            />
          </span>
          <p className="muted" id={ids.checksumHint}>
            {t('add.checksumHint')}
          </p>
        </details>
        {problem !== null && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        {result !== null && result.refused.length > 0 && (
          <div className="refused" role="alert">
            <h3>{t('add.invalid')}</h3>
            <ul>
              {result.refused.map((r, i) => (
                <li key={`${String(i)}-${r.input}`}>
                  <code>{r.input}</code> — {r.error.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={close}>
            {t('add.close')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('add.working') : t('add.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
