import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../client/client-context.js';
import { useFerryStoreApi } from '../../store/use-ferry-store.js';
import { addDownloads } from '../add-job/add-downloads.js';
import type { DesktopShellBridge } from '../../../app/ipc-channels.js';
import { extractUrls } from './extract-urls.js';

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function carriesLinks(event: DragEvent): boolean {
  const types = event.dataTransfer?.types ?? [];
  return (
    types.includes('text/uri-list') || types.includes('text/plain') || types.includes('text/html')
  );
}

/**
 * Drag-and-drop anywhere on the window, and Ctrl/Cmd+V outside text fields: URLs found in
 * what arrives are queued, through the add dialog or straight to the default folder, as the
 * `dropAction` setting says. A full-window target shows while links are dragged over.
 */
export function DropZone() {
  const { t } = useTranslation();
  const { client } = useClient();
  const store = useFerryStoreApi();
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  useEffect(() => {
    const queue = (urls: string[]) => {
      if (urls.length === 0) return;
      const state = store.getState();
      const folder =
        state.settings?.app.downloadFolder || (state.hostInfo?.defaultDownloadFolder ?? '');
      if (state.settings?.app.dropAction !== 'queue' || folder === '') {
        state.openAddDialog(urls.join('\n'));
        return;
      }
      addDownloads(client, {
        lines: urls,
        folder,
        priority: 'NORMAL',
        connections: null,
        startNow: true,
        completeWhenDone: state.settings.app.completeWhenDone,
        nameFor: (name, others) => (others === 0 ? name : t('add.more', { name, count: others })),
      })
        .then((r) => {
          if (r.added > 0) {
            state.pushNotice({
              key: 'notices.added',
              params: { count: r.added, name: r.displayName ?? '' },
              kind: 'info',
            });
          }
          for (const refused of r.refused) {
            state.pushNotice({
              key: 'notices.refusedLine',
              params: { input: refused.input, message: refused.error.message },
              kind: 'error',
              sticky: true,
            });
          }
        })
        .catch((error: unknown) => {
          state.pushNotice({
            key: 'notices.addFailed',
            params: { message: error instanceof Error ? error.message : String(error) },
            kind: 'error',
            sticky: true,
          });
        });
    };
    const onEnter = (event: DragEvent) => {
      if (!carriesLinks(event)) return;
      depth.current += 1;
      setOver(true);
    };
    const onOver = (event: DragEvent) => {
      if (!carriesLinks(event)) return;
      event.preventDefault();
      if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const onDrop = (event: DragEvent) => {
      depth.current = 0;
      setOver(false);
      const data = event.dataTransfer;
      if (data === null) return;
      event.preventDefault();
      queue(
        extractUrls({
          uriList: data.getData('text/uri-list'),
          html: data.getData('text/html'),
          text: data.getData('text/plain'),
        }),
      );
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isEditable(event.target) || store.getState().dialog.kind !== 'none') return;
      const data = event.clipboardData;
      if (data === null) return;
      const urls = extractUrls({
        uriList: data.getData('text/uri-list'),
        html: data.getData('text/html'),
        text: data.getData('text/plain'),
      });
      if (urls.length === 0) return;
      event.preventDefault();
      queue(urls);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    document.addEventListener('paste', onPaste);
    // The desktop shell forwards URLs from a second launch's command line and notification
    // clicks; they are handled like a drop and a click on the job. Absent under `ferry serve`.
    const bridge = window.ferry as Partial<DesktopShellBridge> | undefined;
    const offShell = bridge?.onShellRequest?.((request) => {
      if (request.kind === 'addUrls') queue([...request.urls]);
      else store.getState().selectOnly(request.jobId);
    });
    return () => {
      offShell?.();
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
      document.removeEventListener('paste', onPaste);
    };
  }, [client, store, t]);

  return (
    <div
      className={`drop-target ${over ? 'visible' : ''}`}
      aria-hidden={!over}
      data-testid="drop-target"
    >
      <div className="drop-message">{t('drop.target')}</div>
    </div>
  );
}
