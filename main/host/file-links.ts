import { randomBytes } from 'node:crypto';
import type { FileLink, JobId, ParsedInput } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import type { Engine } from '../engine/index.js';

/** How long a file link works after it is made. */
export const FILE_LINK_TTL_MS = 10 * 60_000;

/** URL path prefix of file links, served by `ferry serve`. */
export const FILE_LINK_PREFIX = '/files/';

interface Entry {
  readonly path: string;
  readonly name: string;
  readonly expires: number;
}

/**
 * Links to downloaded files, for "Open file" in a browser: `files.link` hands out an
 * unguessable, short-lived path (`/files/<ticket>/<name>`) for one saved file, and the server
 * streams that file when asked for it. The ticket stands in for the access token, which never
 * goes into a URL (URLs end up in history and logs); it names one file and expires.
 */
export class FileLinks {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly engine: Engine,
    private readonly now: () => number = Date.now,
  ) {}

  /** A link to one saved file of a job; refused while the file is not at its final name. */
  create(input: ParsedInput<'files.link'>): FileLink {
    const path = this.savedFile(input);
    this.prune();
    const ticket = randomBytes(24).toString('hex');
    const name = path.split(/[\\/]/).pop() ?? 'download';
    this.entries.set(ticket, { path, name, expires: this.now() + FILE_LINK_TTL_MS });
    return { url: `${FILE_LINK_PREFIX}${ticket}/${encodeURIComponent(name)}`, path };
  }

  /**
   * Where one file of a job is saved; refused (with a code and the reason) for a file index the
   * job does not have, or a file not yet at its final name.
   */
  savedFile(input: { readonly jobId: JobId; readonly fileIndex: number }): string {
    const file = this.engine.parsed.job(input.jobId).enumFiles()[input.fileIndex];
    if (file === undefined) {
      throw new FerryError(
        'INPUT_FILE_INDEX',
        'GENERAL_QUEUE_MANAGER',
        `Job ${input.jobId} has no file ${String(input.fileIndex)}`,
        { fileIndex: input.fileIndex },
      );
    }
    if (!file.progress.completed) {
      throw new FerryError(
        'JOB_INVALID_STATE',
        'LOCAL_FILE',
        `File ${String(input.fileIndex)} of job ${input.jobId} is not saved yet: it has no final file to open`,
        { fileIndex: input.fileIndex },
      );
    }
    return file.localName;
  }

  /** The file behind a link's path, or null for an unknown or expired one. */
  resolve(urlPath: string): { readonly path: string; readonly name: string } | null {
    if (!urlPath.startsWith(FILE_LINK_PREFIX)) return null;
    const ticket = urlPath.slice(FILE_LINK_PREFIX.length).split('/')[0] ?? '';
    const entry = this.entries.get(ticket);
    if (entry === undefined) return null;
    if (entry.expires <= this.now()) {
      this.entries.delete(ticket);
      return null;
    }
    return { path: entry.path, name: entry.name };
  }

  private prune(): void {
    const now = this.now();
    for (const [ticket, entry] of this.entries)
      if (entry.expires <= now) this.entries.delete(ticket);
  }
}
