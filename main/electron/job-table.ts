import type { JobsChangedPayload, JobsSnapshot } from '../../app/contract.js';
import type { JobId } from '../../app/model/ids.js';
import type { JobInfo } from '../../app/model/job.js';

/**
 * The shell's own view of the jobs (for the tray, the taskbar and "suspend/resume all"),
 * kept from a snapshot plus `jobsChanged` batches, as the renderer keeps its store.
 *
 * Batches at or below the snapshot's revision are already in it and are skipped, so the
 * subscribe-then-snapshot order loses nothing and applies nothing twice.
 */
export class JobTable {
  private readonly jobs = new Map<JobId, JobInfo>();
  private revision = -1;

  /** Replaces everything with a snapshot. */
  applySnapshot(snapshot: JobsSnapshot): void {
    this.jobs.clear();
    for (const job of snapshot.jobs) this.jobs.set(job.id, job);
    this.revision = snapshot.revision;
  }

  /** Applies one batch; returns false when it was already part of the snapshot. */
  applyBatch(batch: JobsChangedPayload): boolean {
    if (batch.revision <= this.revision) return false;
    for (const job of batch.added) this.jobs.set(job.id, job);
    for (const job of batch.changed) this.jobs.set(job.id, job);
    for (const id of batch.removed) this.jobs.delete(id);
    this.revision = batch.revision;
    return true;
  }

  /** The jobs, in no particular order. */
  list(): JobInfo[] {
    return [...this.jobs.values()];
  }
}
