import type { FerryClient } from '../../../app/contract.js';
import type { JobId } from '../../../app/model/ids.js';
import type { FerryStore } from '../../store/index.js';
import { addDownloads } from '../add-job/add-downloads.js';

/** The per-download actions that act on its files rather than its state. */
export type FileAction = 'openFile' | 'showInFolder' | 'copyUrl' | 'redownload';

/** The folder part of a path, with either separator. */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut <= 0 ? path.slice(0, cut + 1) || path : path.slice(0, cut);
}

/** Starts a browser download of `url` (a same-origin `files.link` path). */
function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

function fail(store: FerryStore, action: FileAction, error: unknown): void {
  store.getState().pushNotice({
    key: 'notices.failed',
    params: {
      action: `actions.${action}`,
      message: error instanceof Error ? error.message : String(error),
    },
    kind: 'error',
  });
}

/**
 * Runs one file action for one download.
 *
 * The desktop app opens the file, or shows it in its folder, with the system's shell
 * (`files.open`). In a browser, "Open file" downloads the saved file through a short-lived link
 * served by `ferry serve`, and "Show in folder" shows (and copies) the folder's path on the
 * host, since a page cannot open a folder on the host's machine. "Copy URL" copies every URL of the job,
 * one per line; "Re-download" adds its URLs again, one download each, to the same folder.
 */
export async function runFileAction(
  client: FerryClient,
  store: FerryStore,
  action: FileAction,
  jobId: JobId,
  fileIndex = 0,
): Promise<void> {
  try {
    const job = await client.invoke('job.get', { jobId });
    const file = job.files[fileIndex] ?? job.files[0];
    if (file === undefined) return;
    switch (action) {
      case 'openFile': {
        // The desktop app opens it with the system's program; a browser downloads it.
        const { opened } = await client.invoke('files.open', {
          jobId,
          fileIndex: file.index,
          reveal: false,
        });
        if (opened) return;
        const link = await client.invoke('files.link', { jobId, fileIndex: file.index });
        download(link.url, link.path.split(/[\\/]/).pop() ?? 'download');
        return;
      }
      case 'showInFolder': {
        const { opened } = await client.invoke('files.open', {
          jobId,
          fileIndex: file.index,
          reveal: true,
        });
        if (opened) return;
        const folder = folderOf(file.localName);
        await navigator.clipboard.writeText(folder).catch(() => undefined);
        store.getState().pushNotice({
          key: 'notices.folder',
          params: { folder },
          kind: 'info',
          sticky: true,
        });
        return;
      }
      case 'copyUrl': {
        await navigator.clipboard.writeText(job.files.map((f) => f.remoteName).join('\n'));
        store.getState().pushNotice({
          key: 'notices.urlCopied',
          params: { count: job.files.length },
          kind: 'info',
        });
        return;
      }
      case 'redownload': {
        const settings = store.getState().settings;
        const result = await addDownloads(client, {
          lines: job.files.map((f) => f.remoteName),
          folder: folderOf(file.localName),
          priority: job.priority,
          connections: job.transferPolicy.connectionsPerFile,
          startNow: true,
          completeWhenDone: settings?.app.completeWhenDone ?? true,
          nameFor: (name) => name,
        });
        store.getState().pushNotice({
          key: 'notices.added',
          params: { count: result.added, name: result.displayName ?? '' },
          kind: 'info',
        });
        return;
      }
    }
  } catch (error) {
    fail(store, action, error);
  }
}
