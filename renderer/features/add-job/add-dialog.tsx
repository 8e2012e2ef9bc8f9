import { useId, useState } from 'react';
import type { SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { JOB_PRIORITIES } from '../../../app/model/priority.js';
import type { JobPriority } from '../../../app/model/priority.js';
import { MAX_CONNECTIONS_PER_FILE } from '../../../app/model/transfer-policy.js';
import { useClient } from '../../client/client-context.js';
import { Modal } from '../../components/modal.js';
import { useFerryStore, useFerryStoreApi } from '../../store/use-ferry-store.js';
import { addDownloads } from './add-downloads.js';
import type { AddResult } from './add-downloads.js';

const CONNECTION_CHOICES = Array.from({ length: MAX_CONNECTIONS_PER_FILE }, (_, i) => i + 1);

/**
 * The add dialog: many URLs (one per line), a folder, priority, connections, start now or
 * suspended. Refused lines stay listed with their reason; the valid ones are queued anyway.
 */
export function AddDialog({ initialText }: { readonly initialText: string }) {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const defaultFolder = useFerryStore(
    (s) => s.settings?.app.downloadFolder || (s.hostInfo?.defaultDownloadFolder ?? ''),
  );
  const [text, setText] = useState(initialText);
  const [folder, setFolder] = useState(defaultFolder);
  const [priority, setPriority] = useState<JobPriority>('NORMAL');
  const [connections, setConnections] = useState<number | null>(null);
  const [startNow, setStartNow] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<AddResult | null>(null);
  const ids = { urls: useId(), folder: useId(), priority: useId(), connections: useId() };
  const close = () => {
    store.getState().closeDialog();
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) {
      setProblem(t('add.needUrls'));
      return;
    }
    if (folder.trim() === '') {
      setProblem(t('add.needFolder'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const outcome = await addDownloads(client, {
        lines,
        folder: folder.trim(),
        priority,
        connections,
        startNow,
        nameFor: (name, others) => (others === 0 ? name : t('add.more', { name, count: others })),
      });
      if (outcome.jobId !== null) {
        store
          .getState()
          .pushNotice(
            t('add.added', { count: outcome.added, name: outcome.displayName ?? '' }),
            'info',
          );
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
          rows={6}
          value={text}
          autoFocus
          spellCheck={false}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        <label htmlFor={ids.folder}>{t('add.folder')}</label>
        <input
          id={ids.folder}
          name="folder"
          value={folder}
          spellCheck={false}
          onChange={(event) => {
            setFolder(event.target.value);
          }}
        />
        <div className="row">
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
        </div>
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
