import type { JobMirror } from '../../app/job-mirror.js';
import { createJobMirror } from '../../app/job-mirror.js';
import type { JobInfo } from '../../app/model/job.js';
import type { HostClient } from './host-client.js';
import { createHostClient } from './host-client.js';
import type { EngineHostPort } from './host-port.js';
import type { NotifyingEvent } from './notification-text.js';

/**
 * The shell's own client of the host: it keeps the jobs the tray and the taskbar read and hands
 * jobTransferred / jobError to the notifications, registered for every job's callbacks (so a
 * job's notify flags decide which reach it: DISABLE silences a job). Plain TypeScript (no
 * electron), so it runs under the unit tests against any host.
 *
 * The jobs are kept by the job mirror every client uses (app/job-mirror.ts): subscribe, then
 * snapshot, batches that race the snapshot held and applied by revision, a failed snapshot
 * fetched again. Only jobs not yet in history are kept: the shell acts on live jobs, and a job
 * that is acknowledged or cancelled leaves the list instead of staying for the session.
 */
export class ShellFeed {
  private client: HostClient | null = null;
  private mirror: JobMirror | null = null;

  constructor(
    private readonly host: EngineHostPort,
    private readonly handlers: {
      /** The jobs changed (a snapshot or a batch was applied). */
      readonly onJobsChanged: () => void;
      readonly onNotifyingEvent: (event: NotifyingEvent) => void;
      readonly onError: (error: unknown) => void;
    },
  ) {}

  /** The live jobs, in no particular order. */
  list(): JobInfo[] {
    return [...(this.mirror?.jobs.values() ?? [])];
  }

  /** Starts listening; resolves once the first snapshot is in. */
  async start(): Promise<void> {
    const client = createHostClient(this.host);
    this.client = client;
    client.on('jobTransferred', (payload) => {
      this.deliver({ event: 'jobTransferred', payload });
    });
    client.on('jobError', (payload) => {
      this.deliver({ event: 'jobError', payload });
    });
    // The shell's notifications are about every job, as far as each job's notify flags allow.
    await client.invoke('jobs.setNotifyInterface', { enabled: true });
    await new Promise<void>((resolve) => {
      this.mirror = createJobMirror(client, {}, () => {
        resolve();
        try {
          this.handlers.onJobsChanged();
        } catch (error) {
          this.handlers.onError(error);
        }
      });
    });
  }

  /** Stops listening. */
  close(): void {
    this.mirror?.stop();
    this.mirror = null;
    this.client?.close();
    this.client = null;
  }

  private deliver(event: NotifyingEvent): void {
    try {
      this.handlers.onNotifyingEvent(event);
    } catch (error) {
      this.handlers.onError(error);
    }
  }
}
