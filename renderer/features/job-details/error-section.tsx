import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobDetails } from '../../../app/contract.js';
import type { JobErrorInfo } from '../../../app/model/job.js';
import { isAllowed } from '../../../app/transitions.js';
import { useClient } from '../../client/client-context.js';
import { formatDateTime } from '../../i18n/format.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';

/** The kind of fix a failure calls for, as an i18n key under `details.fixes`. */
export function fixFor(code: string): string {
  if (code === 'HTTP_NOT_FOUND' || code === 'HTTP_ACCESS_DENIED' || code === 'HTTP_CLIENT_ERROR')
    return 'link';
  if (code === 'DISK_FULL') return 'diskFull';
  if (code === 'DISK_ACCESS_DENIED' || code === 'DISK_PATH_INVALID') return 'folder';
  if (code === 'FILE_SOURCE_CHANGED') return 'changed';
  if (code === 'JOB_NO_PROGRESS') return 'noProgress';
  if (code.startsWith('NET_') || code.startsWith('HTTP_')) return 'network';
  return 'other';
}

/**
 * The job's current error as IBackgroundCopyError describes it (context, code, description,
 * file), with "replace URL" for link refresh: SetRemoteName on the failed file, then Resume.
 */
export function ErrorSection({
  job,
  error,
}: {
  readonly job: JobDetails;
  readonly error: JobErrorInfo;
}) {
  const { t, i18n } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const file = error.fileIndex === null ? undefined : job.files[error.fileIndex];
  const [url, setUrl] = useState(file?.remoteName ?? '');
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const canReplace = file !== undefined && isAllowed('setRemoteName', job.state);

  const replace = async () => {
    if (file === undefined) return;
    setBusy(true);
    try {
      await client.invoke('job.setRemoteName', {
        jobId: job.id,
        fileIndex: file.index,
        remoteUrl: url.trim(),
      });
      if (job.state === 'ERROR' || job.state === 'TRANSIENT_ERROR') {
        await client.invoke('job.resume', { jobId: job.id });
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      store.getState().pushNotice({
        key: 'notices.failed',
        params: { action: 'details.replaceUrl', message },
        kind: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  const retry = () => {
    client.invoke('jobs.batch', { action: 'resume', jobIds: [job.id] }).catch((e: unknown) => {
      store.getState().pushNotice({
        key: 'notices.failed',
        params: { action: 'actions.retry', message: e instanceof Error ? e.message : String(e) },
        kind: 'error',
      });
    });
  };

  return (
    <section className="error-details" aria-label={t('details.error')}>
      <h3>{t('details.error')}</h3>
      <p className="fix" data-field="fix">
        {t(`details.fixes.${fixFor(error.code)}`)}
      </p>
      {(job.state === 'ERROR' || job.state === 'TRANSIENT_ERROR') && (
        <button type="button" onClick={retry}>
          {t('actions.retry')}
        </button>
      )}
      <dl>
        <dt>{t('details.errorContext')}</dt>
        <dd data-field="context">{t(`errorContexts.${error.context}`)}</dd>
        <dt>{t('details.errorCode')}</dt>
        <dd data-field="code">
          <code>{error.code}</code>
          {error.httpStatus !== null && ` (HTTP ${String(error.httpStatus)})`}
          {error.sysCode !== null && ` (${error.sysCode})`}
        </dd>
        <dt>{t('details.errorDescription')}</dt>
        <dd data-field="description">{error.message}</dd>
        {file !== undefined && (
          <>
            <dt>{t('details.errorFile')}</dt>
            <dd data-field="file">{file.remoteName}</dd>
          </>
        )}
        <dt>{t('details.modified')}</dt>
        <dd>{formatDateTime(error.time, i18n.language)}</dd>
      </dl>
      {canReplace && (
        <form
          className="replace-url"
          onSubmit={(event) => {
            event.preventDefault();
            void replace();
          }}
        >
          <label htmlFor={inputId}>{t('details.replaceUrl')}</label>
          <input
            id={inputId}
            value={url}
            spellCheck={false}
            onChange={(event) => {
              setUrl(event.target.value);
            }}
          />
          <button type="submit" disabled={busy || url.trim() === ''}>
            {t('details.replaceUrlApply')}
          </button>
        </form>
      )}
    </section>
  );
}
