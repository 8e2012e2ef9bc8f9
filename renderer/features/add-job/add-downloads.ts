import type { FerryClient, PlannedDownload } from '../../../app/contract.js';
import type { FerryErrorShape } from '../../../app/errors.js';
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
  /** The job's display name from the planned files (first name, "and N more"). */
  readonly nameFor: (firstName: string, others: number) => string;
}

/** What came of it: the job that holds the valid lines, and every refused line. */
export interface AddResult {
  readonly jobId: string | null;
  readonly displayName: string | null;
  readonly added: number;
  readonly refused: readonly { readonly input: string; readonly error: FerryErrorShape }[];
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/**
 * Plans the lines on the host (names from the URL or Content-Disposition, sanitised, free),
 * then queues every valid one as one job: CreateJob, AddFileSet, the transfer policy, and
 * Resume unless the job is to stay suspended. Invalid lines are reported, not fatal.
 *
 * A job whose files or settings were refused is cancelled and removed from history again, so
 * a refused add leaves no job behind, not even in history.
 */
export async function addDownloads(client: FerryClient, request: AddRequest): Promise<AddResult> {
  const urls = request.lines.map((l) => l.trim()).filter((l) => l !== '');
  const plan: PlannedDownload[] = await client.invoke('downloads.plan', {
    urls,
    folder: request.folder,
    probe: true,
  });
  const refused = plan.flatMap((p) => (p.ok ? [] : [{ input: p.input, error: p.error }]));
  const files = plan.flatMap((p) =>
    p.ok ? [{ remoteUrl: p.remoteUrl, localName: p.localName }] : [],
  );
  const first = files[0];
  if (first === undefined) return { jobId: null, displayName: null, added: 0, refused };

  const displayName = request.nameFor(baseName(first.localName), files.length - 1).slice(0, 256);
  const job = await client.invoke('job.create', { displayName, priority: request.priority });
  try {
    await client.invoke('job.addFileSet', { jobId: job.id, files });
    if (request.connections !== null) {
      await client.invoke('job.setTransferPolicy', {
        jobId: job.id,
        connectionsPerFile: request.connections,
      });
    }
    if (request.startNow) await client.invoke('job.resume', { jobId: job.id });
  } catch (error) {
    // Cancelled jobs go to history: remove it from there too, so a refused add leaves nothing.
    await client
      .invoke('job.cancel', { jobId: job.id })
      .then(() => client.invoke('jobs.removeFromHistory', { jobId: job.id }))
      .catch(() => undefined);
    throw error;
  }
  return { jobId: job.id, displayName, added: files.length, refused };
}
