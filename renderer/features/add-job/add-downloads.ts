import type { FerryClient, PlannedDownload } from '../../../app/contract.js';
import type { FerryErrorShape } from '../../../app/errors.js';
import type { JobFlavour } from '../../../app/model/job-flavour.js';
import type { JobPriority } from '../../../app/model/priority.js';

/** What the add dialog (or a drop straight to the queue) asks for. */
export interface AddRequest {
  /** Raw lines; blank ones are ignored. */
  readonly lines: readonly string[];
  readonly folder: string;
  readonly priority: JobPriority;
  /** Connections per file, or null for the engine's setting. */
  readonly connections: number | null;
  readonly startNow: boolean;
  /** One download holding every URL, instead of one download per URL (the default). */
  readonly group?: boolean;
  /** The job model of every job made (default BITS; DO: Delivery Optimization's rules). */
  readonly flavour?: JobFlavour;
  /**
   * The server's user name and password for every URL: the job's SERVER credentials for both
   * Basic and Digest, the server's challenge picks (as a `user:password@` in a URL would).
   */
  readonly credentials?: { readonly userName: string; readonly password: string };
  /** The digest (`algorithm:hex`) the one file added must have, checked before Complete. */
  readonly digest?: string;
  /** Or the checksum file (`….sha256`, SHA256SUMS) that digest is read from. */
  readonly checksumUrl?: string;
  /** Complete each download when it finishes, so its file appears at once (default true). */
  readonly completeWhenDone?: boolean;
  /** A grouped job's display name from its files (first name, "and N more"). */
  readonly nameFor: (firstName: string, others: number) => string;
  /** A plan made already (the dialog's preview); planned again when absent. */
  readonly plan?: readonly PlannedDownload[];
}

/** What came of it: the jobs made, how many files they hold, and every refused line. */
export interface AddResult {
  readonly jobIds: readonly string[];
  /** The first job's display name, for the "Added …" message. */
  readonly displayName: string | null;
  readonly added: number;
  readonly refused: readonly { readonly input: string; readonly error: FerryErrorShape }[];
}

/** The last part of a path, with either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

interface FileSpec {
  readonly remoteUrl: string;
  readonly localName: string;
  /** The file's first response names it for good (the plan's name is a guess). */
  readonly nameFromServer: boolean;
}

/**
 * Creates one job for `files` and starts it: CreateJob, AddFileSet, the transfer policy, and
 * Resume unless it is to stay paused. A job whose files or settings were refused is cancelled
 * and removed from history again, so a refused add leaves no job behind.
 */
async function queueJob(
  client: FerryClient,
  request: AddRequest,
  displayName: string,
  files: readonly FileSpec[],
): Promise<string> {
  const job = await client.invoke('job.create', {
    displayName: displayName.slice(0, 256),
    priority: request.priority,
    ...(request.flavour === undefined ? {} : { flavour: request.flavour }),
  });
  try {
    const { digest, checksumUrl } = request;
    await client.invoke('job.addFileSet', {
      jobId: job.id,
      files: files.map((file) => ({
        ...file,
        ...(digest === undefined ? {} : { digest }),
        ...(checksumUrl === undefined ? {} : { checksumUrl }),
      })),
    });
    if (request.credentials !== undefined) {
      for (const scheme of ['BASIC', 'DIGEST'] as const) {
        await client.invoke('job.setCredentials', {
          jobId: job.id,
          target: 'SERVER',
          scheme,
          ...request.credentials,
        });
      }
    }
    await client.invoke('job.setTransferPolicy', {
      jobId: job.id,
      completeWhenTransferred: request.completeWhenDone ?? true,
      ...(request.connections === null ? {} : { connectionsPerFile: request.connections }),
    });
    if (request.startNow) await client.invoke('job.resume', { jobId: job.id });
  } catch (error) {
    await client
      .invoke('job.cancel', { jobId: job.id })
      .then(() => client.invoke('jobs.removeFromHistory', { jobId: job.id }))
      .catch(() => undefined);
    throw error;
  }
  return job.id;
}

/**
 * Plans the lines on the host (names from the URL or Content-Disposition, sanitised, free),
 * then queues the valid ones: one download per URL, as Motrix and FDM do, or all in one job
 * when `group` is set. Invalid lines are reported, not fatal.
 */
export async function addDownloads(client: FerryClient, request: AddRequest): Promise<AddResult> {
  const urls = request.lines.map((l) => l.trim()).filter((l) => l !== '');
  // Without a preview, no probe: each file's first response names it.
  const plan =
    request.plan ??
    (await client.invoke('downloads.plan', { urls, folder: request.folder, probe: false }));
  const refused = plan.flatMap((p) => (p.ok ? [] : [{ input: p.input, error: p.error }]));
  const files = plan.flatMap((p) =>
    p.ok
      ? [{ remoteUrl: p.remoteUrl, localName: p.localName, nameFromServer: p.nameFromServer }]
      : [],
  );
  const first = files[0];
  if (first === undefined) return { jobIds: [], displayName: null, added: 0, refused };

  if (request.group === true) {
    const name = request.nameFor(baseName(first.localName), files.length - 1);
    const id = await queueJob(client, request, name, files);
    return { jobIds: [id], displayName: name, added: files.length, refused };
  }
  const jobIds: string[] = [];
  for (const file of files) {
    jobIds.push(await queueJob(client, request, baseName(file.localName), [file]));
  }
  return { jobIds, displayName: baseName(first.localName), added: files.length, refused };
}

/**
 * The checksum field as AddFile takes it: the URL of a checksum file, `algorithm:hex`, or
 * bare hex read as SHA-256 (what a download page usually prints); nothing when empty. The
 * engine checks the rest.
 */
export function checksumText(text: string): { digest?: string; checksumUrl?: string } {
  const value = text.trim();
  if (value === '') return {};
  if (/^https?:\/\//i.test(value)) return { checksumUrl: value };
  return { digest: /^[0-9a-f]{64}$/i.test(value) ? `sha256:${value}` : value };
}
