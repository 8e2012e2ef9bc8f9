import type { JobId } from '../../app/index.js';
import type { Engine } from '../engine/index.js';

/**
 * Completes finished downloads for the user, as a BITS application does in its JobTransferred
 * callback: a job whose TransferPolicy asks for it (`completeWhenTransferred`, set by the
 * window's add flow) is completed as soon as it reaches TRANSFERRED, while the app setting
 * `completeWhenDone` is on, so its files appear at their final names without a click.
 *
 * Jobs made with `ferry create` never ask, and keep BITS's explicit Complete. Jobs that were
 * TRANSFERRED when the host started (the engine stopped between the two) are completed at
 * once. A Complete that fails (a rename refused) leaves the job TRANSFERRED with its error,
 * for the user to retry; it is reported through `onWarning`.
 *
 * Returns the function that stops it.
 */
export function startAutoComplete(
  engine: Engine,
  onWarning: (message: string, cause?: unknown) => void,
): () => void {
  const inFlight = new Set<JobId>();
  const complete = (jobId: JobId): void => {
    if (inFlight.has(jobId) || !engine.getAppSettings().completeWhenDone) return;
    inFlight.add(jobId);
    // Not inside the engine's event dispatch: the job finishes its own transition first.
    void Promise.resolve()
      .then(() => engine.parsed.jobs['job.complete']({ jobId }))
      .catch((error: unknown) => {
        onWarning(`could not complete finished job ${jobId}`, error);
      })
      .finally(() => inFlight.delete(jobId));
  };
  for (const job of engine.parsed.enumJobs(true)) {
    const info = job.info();
    if (info.state === 'TRANSFERRED' && info.transferPolicy.completeWhenTransferred) {
      complete(info.id);
    }
  }
  return engine.subscribe((event) => {
    if (event.type === 'jobTransferred' && event.job.transferPolicy.completeWhenTransferred) {
      complete(event.job.id);
    }
  });
}
