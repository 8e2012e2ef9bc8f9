/**
 * When a checkpoint also datasyncs: once the last sync is `intervalMs` old, and whenever one is
 * demanded (a file's final checkpoint). Shared by the single-connection writer and the
 * segmented file, so both follow the same durability rule.
 */
export class SyncCadence {
  /** The file's open counts as a sync: nothing is owed to the disk yet. */
  private lastSyncAt = Date.now();
  private demanded = false;

  constructor(private readonly intervalMs: number) {}

  /** Whether the next checkpoint must sync (true) or follows the cadence (false). */
  demand(sync: boolean): void {
    this.demanded = sync;
  }

  /** Whether this checkpoint syncs; a demand counts once. */
  due(): boolean {
    const due = this.demanded || Date.now() - this.lastSyncAt >= this.intervalMs;
    this.demanded = false;
    return due;
  }

  /** A sync completed. */
  synced(): void {
    this.lastSyncAt = Date.now();
  }
}
