import type { EventName, EventPayloads, JobsChangedPayload } from '../../app/contract.js';
import type { EngineHostPort, HostConnection } from './host-port.js';
import { runCommand } from './host-port.js';
import { JobTable } from './job-table.js';
import type { NotifyingEvent } from './notification-text.js';

/**
 * The shell's own client of the host: it keeps the job table the tray reads and hands
 * jobTransferred / jobError to the notifications, registered for every job's callbacks (so a
 * job's notify flags decide which reach it: DISABLE silences a job). Plain TypeScript (no electron), so it runs
 * under the unit tests against any host.
 *
 * Subscribes first, then fetches the snapshot; batches that arrive before the snapshot is in
 * are held and applied after it (those it already contains are skipped by revision). Applied
 * straight away, they would be wiped by the older snapshot, and a job added or finished in that
 * window would be missing or stale in the tray until it changed again.
 */
export class ShellFeed {
  readonly table = new JobTable();
  private connection: HostConnection | null = null;
  /** Batches received while the snapshot is on its way; null once it is applied. */
  private held: JobsChangedPayload[] | null = [];

  constructor(
    private readonly host: EngineHostPort,
    private readonly handlers: {
      /** The table changed (a snapshot or a batch was applied). */
      readonly onJobsChanged: () => void;
      readonly onNotifyingEvent: (event: NotifyingEvent) => void;
      readonly onError: (error: unknown) => void;
    },
  ) {}

  /** Starts listening and loads the snapshot. */
  async start(): Promise<void> {
    const events: readonly EventName[] = ['jobsChanged', 'jobTransferred', 'jobError'];
    this.connection = this.host.connect((event, payload) => {
      this.receive(event, payload);
    });
    this.connection.subscribe(events);
    // The shell's notifications are about every job, as far as each job's notify flags allow.
    await runCommand(this.host, 'jobs.setNotifyInterface', { enabled: true }, this.connection);
    const snapshot = await runCommand(this.host, 'jobs.snapshot', {});
    this.table.applySnapshot(snapshot);
    const held = this.held ?? [];
    this.held = null;
    for (const batch of held) this.table.applyBatch(batch);
    this.handlers.onJobsChanged();
  }

  /** Stops listening. */
  close(): void {
    this.connection?.close();
    this.connection = null;
  }

  private receive(event: EventName, payload: unknown): void {
    try {
      if (event === 'jobsChanged') {
        const batch = payload as JobsChangedPayload;
        if (this.held !== null) this.held.push(batch);
        else if (this.table.applyBatch(batch)) this.handlers.onJobsChanged();
      } else if (event === 'jobTransferred') {
        this.handlers.onNotifyingEvent({
          event,
          payload: payload as EventPayloads['jobTransferred'],
        });
      } else if (event === 'jobError') {
        this.handlers.onNotifyingEvent({ event, payload: payload as EventPayloads['jobError'] });
      }
    } catch (error) {
      this.handlers.onError(error);
    }
  }
}
