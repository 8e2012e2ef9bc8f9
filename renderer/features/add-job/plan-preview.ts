import { useEffect, useState } from 'react';
import type { FerryClient, PlannedDownload } from '../../../app/contract.js';
import type { FolderRule } from '../../../app/model/folder-rules.js';
import { ruleFolderFor } from '../../../app/model/folder-rules.js';

/**
 * Lines the preview asks each server about (a one-byte GET through the engine); longer lists
 * are planned from URLs (each file's first response names it anyway).
 */
export const PREVIEW_PROBE_LIMIT = 20;
/** Quiet time after typing before the preview is planned. */
const PREVIEW_DELAY_MS = 400;

/** The non-blank lines of the URL box, trimmed. */
export function urlLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** A plan and what it was made for, so a submit can reuse it only when nothing changed. */
export interface Preview {
  readonly text: string;
  readonly folder: string;
  readonly plan: readonly PlannedDownload[];
}

/**
 * The add dialog's preview: as the user types, each line planned on the host (name from the
 * server, size, or why the line is refused), after a short pause and only for the latest text.
 */
export function usePlanPreview(client: FerryClient, text: string, folder: string): Preview | null {
  const [preview, setPreview] = useState<Preview | null>(null);
  useEffect(() => {
    const urls = urlLines(text);
    if (urls.length === 0 || folder.trim() === '') {
      setPreview(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      client
        .invoke('downloads.plan', {
          urls,
          folder: folder.trim(),
          probe: urls.length <= PREVIEW_PROBE_LIMIT,
        })
        .then((plan) => {
          if (live) setPreview({ text, folder, plan });
        })
        .catch(() => {
          // A bad folder: the submit reports it with its reason.
          if (live) setPreview(null);
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, text, folder]);
  return preview;
}

/**
 * Applies the folder rules to a plan: files of a type with a folder of its own are planned
 * again in that folder (so their names are free there), the others keep their place.
 */
export async function withFolderRules(
  client: FerryClient,
  plan: readonly PlannedDownload[],
  rules: readonly FolderRule[],
): Promise<PlannedDownload[]> {
  const byFolder = new Map<string, number[]>();
  plan.forEach((entry, i) => {
    if (!entry.ok) return;
    const name = entry.localName.split(/[\\/]/).pop() ?? '';
    const folder = ruleFolderFor(name, rules);
    if (folder === null) return;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), i]);
  });
  const out = [...plan];
  for (const [folder, indexes] of byFolder) {
    const urls = indexes.map((i) => {
      const entry = plan[i];
      return entry?.ok === true ? entry.remoteUrl : '';
    });
    const again = await client.invoke('downloads.plan', { urls, folder, probe: false });
    indexes.forEach((i, k) => {
      const entry = again[k];
      if (entry !== undefined) out[i] = entry;
    });
  }
  return out;
}
