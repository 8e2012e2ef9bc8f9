import { printable } from './printable.js';
import type { FerryClient, JobDetails, JobId } from '../../app/index.js';
import { FerryError, isJobId } from '../../app/index.js';

/**
 * Turns a JOB argument into a job id: a job id (GUID, any case) or a display name, as
 * bitsadmin accepts both.
 *
 * Names are matched exactly among live jobs of every user first, then among jobs in history.
 * A name that several jobs share is refused with their ids, never guessed.
 */
export async function resolveJob(client: FerryClient, ref: string): Promise<JobId> {
  const lower = ref
    .trim()
    .toLowerCase()
    .replace(/^\{(.*)\}$/, '$1');
  if (isJobId(lower)) return lower;
  const live = await client.invoke('jobs.enum', { allUsers: true, includeHistory: false });
  let matches = live.filter((job) => job.displayName === ref);
  if (matches.length === 0) {
    const all = await client.invoke('jobs.enum', { allUsers: true, includeHistory: true });
    matches = all.filter((job) => job.displayName === ref);
  }
  const [first, second] = matches;
  if (first === undefined) {
    throw new FerryError(
      'JOB_NOT_FOUND',
      'GENERAL_QUEUE_MANAGER',
      `No job has the id or display name '${ref}'`,
    );
  }
  if (second !== undefined) {
    throw new FerryError(
      'JOB_NOT_FOUND',
      'GENERAL_QUEUE_MANAGER',
      `The display name '${ref}' is shared by ${String(matches.length)} jobs (${ids(matches)}): use a job id`,
    );
  }
  return first.id;
}

function ids(jobs: readonly JobDetails[]): string {
  return jobs.map((job) => job.id).join(', ');
}

/** "name (id)", how messages name a job. */
export function jobLabel(job: Pick<JobDetails, 'displayName' | 'id'>): string {
  return `'${printable(job.displayName)}' (${job.id})`;
}
