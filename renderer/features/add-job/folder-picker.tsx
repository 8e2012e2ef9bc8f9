import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FolderListing } from '../../../app/contract.js';
import { useClient } from '../../client/client-context.js';
import { Icon } from '../../components/icons.js';

/**
 * A folder browser served by the host (`folders.list`), for choosing where downloads go from
 * a browser, which cannot show the host's own folder dialog. It starts at `start` (or the
 * user's home) and can only go as high as the home folder, which the host enforces.
 */
export function FolderPicker({
  start,
  onPick,
  onClose,
}: {
  readonly start: string;
  readonly onPick: (path: string) => void;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useClient();
  const [path, setPath] = useState(start);
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client
      .invoke('folders.list', { path })
      .then((l) => {
        if (!live) return;
        setListing(l);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (!live) return;
        // Outside home or gone: fall back to home once, and say why.
        setProblem(error instanceof Error ? error.message : String(error));
        if (path !== '') setPath('');
      });
    return () => {
      live = false;
    };
  }, [client, path]);

  return (
    <div className="folder-picker" role="group" aria-label={t('add.browseTitle')}>
      <div className="folder-path">
        <button
          type="button"
          disabled={listing?.parent == null}
          onClick={() => {
            if (listing?.parent != null) setPath(listing.parent);
          }}
        >
          <Icon name="up" /> {t('add.parentFolder')}
        </button>
        <code title={listing?.path}>{listing?.path ?? '…'}</code>
      </div>
      {problem !== null && <p className="form-error">{problem}</p>}
      <ul className="folder-list" aria-label={t('add.folders')}>
        {listing?.folders.map((f) => (
          <li key={f.path}>
            <button
              type="button"
              className="link"
              onClick={() => {
                setPath(f.path);
              }}
            >
              <Icon name="folder" /> {f.name}
            </button>
          </li>
        ))}
        {listing !== null && listing.folders.length === 0 && (
          <li className="muted">{t('add.noSubfolders')}</li>
        )}
      </ul>
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          {t('add.close')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={listing === null}
          onClick={() => {
            if (listing !== null) onPick(listing.path);
          }}
        >
          {t('add.useFolder')}
        </button>
      </div>
    </div>
  );
}
