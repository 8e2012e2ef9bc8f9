import { useTranslation } from 'react-i18next';
import type { JobFileInfo } from '../../../app/model/job.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatBytes, formatPercent } from '../../i18n/format.js';

/** Every file of the job: its URL, where it goes, its own progress. */
export function FilesSection({ files }: { readonly files: readonly JobFileInfo[] }) {
  const { t, i18n } = useTranslation();
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
          const size = `${formatBytes(bytesTransferred, locale)} / ${bytesTotal === null ? t('list.sizeUnknown') : formatBytes(bytesTotal, locale)}`;
          return (
            <li key={file.index} className="file" data-file-index={file.index}>
              <dl>
                <dt>{t('details.remoteUrl')}</dt>
                <dd className="url">{file.remoteName}</dd>
                <dt>{t('details.localPath')}</dt>
                <dd className="path">{file.localName}</dd>
              </dl>
              <ProgressBar
                fraction={fraction}
                label={t('details.fileProgress', { index: file.index + 1 })}
                valueText={fraction === null ? size : formatPercent(fraction, locale)}
              />
              <span className="muted">{size}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
