import { useTranslation } from 'react-i18next';
import type { JobId } from '../../../app/model/ids.js';
import type { JobFileInfo } from '../../../app/model/job.js';
import { useClient } from '../../client/client-context.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatBytes, formatPercent } from '../../i18n/format.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';
import { baseName } from '../add-job/add-downloads.js';
import { runFileAction } from '../jobs/file-actions.js';

/** Every file of the download: its name, URL, where it goes, its own progress, Open. */
export function FilesSection({
  jobId,
  files,
}: {
  readonly jobId: JobId;
  readonly files: readonly JobFileInfo[];
}) {
  const { t, i18n } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const locale = i18n.language;
  return (
    <section className="files" aria-label={t('details.files')}>
      <h3>{t('details.files')}</h3>
      <ul>
        {files.map((file) => {
          const { bytesTotal, bytesTransferred } = file.progress;
          const fraction =
            bytesTotal === null
              ? null
              : bytesTotal === 0
                ? file.progress.transferred
                  ? 1
                  : 0
                : bytesTransferred / bytesTotal;
          const size =
            bytesTotal === null
              ? t('list.sizeOfUnknown', { done: formatBytes(bytesTransferred, locale) })
              : t('list.sizeOf', {
                  done: formatBytes(bytesTransferred, locale),
                  total: formatBytes(bytesTotal, locale),
                });
          return (
            <li key={file.index} className="file" data-file-index={file.index}>
              <div className="file-head">
                <strong className="file-name" title={file.localName}>
                  {baseName(file.localName)}
                </strong>
                {file.progress.completed && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      void runFileAction(client, store, 'openFile', jobId, file.index);
                    }}
                  >
                    {t('actions.openFile')}
                  </button>
                )}
              </div>
              <ProgressBar
                fraction={fraction}
                moving={false}
                label={t('details.fileProgress', { index: file.index + 1 })}
                valueText={fraction === null ? size : formatPercent(fraction, locale)}
              />
              <span className="muted">{size}</span>
              <dl>
                <dt>{t('details.remoteUrl')}</dt>
                <dd className="url">{file.remoteName}</dd>
                <dt>{t('details.localPath')}</dt>
                <dd className="path">{file.localName}</dd>
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
