/**
 * Runs a file's checkpoint syncs one at a time, beside its writes.
 *
 * A request while a sync runs is folded into one more round after it, so a fast transfer
 * never queues a sync per chunk and never waits on one to keep writing. Shared by the
 * single-connection writer and the segmented file; `once` must not reject.
 */
export class CheckpointLoop {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly once: () => Promise<void>,
    /** Whether a requested extra round should still run (not closed, not failed). */
    private readonly mayRepeat: () => boolean,
  ) {}

  /** Asks for a sync; `after` (e.g. the writes queued so far) is awaited before the first. */
  request(after?: Promise<unknown>): void {
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      await after;
      do {
        this.again = false;
        await this.once();
      } while (this.wantsAgain());
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Whether a request came in while the last round ran, and another may still run. */
  private wantsAgain(): boolean {
    return this.again && this.mayRepeat();
  }

  /** Waits until no sync runs; a pending extra round is dropped (the caller syncs itself). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running.catch(() => undefined);
    this.again = false;
  }
}
