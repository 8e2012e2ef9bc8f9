import type { JobId } from '../../app/index.js';

/**
 * One queue per job: methods on the same job run one after another, in call order.
 *
 * A Suspend that waits for a transfer to flush must not interleave with a retry timer or a
 * Complete on the same job; methods on different jobs still run side by side.
 */
export class JobLocks {
  private readonly tails = new Map<JobId, Promise<void>>();

  /** Whether a method on the job is running or waiting. */
  isBusy(jobId: JobId): boolean {
    return this.tails.has(jobId);
  }

  /** Runs `fn` after every earlier call for the same job has finished. */
  async run<T>(jobId: JobId, fn: () => T | Promise<T>): Promise<T> {
    const previous = this.tails.get(jobId) ?? Promise.resolve();
    let release = (): void => undefined;
    const current = previous.then(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    this.tails.set(jobId, current);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(jobId) === current) this.tails.delete(jobId);
    }
  }

  /** Resolves when every queued method has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
