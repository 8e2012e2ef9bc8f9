import type {
  EventName,
  EventPayloads,
  JobDetails,
  JobId,
  JobInfo,
  JobState,
} from '../../app/index.js';
import { CALLBACK_FLAGS, wantsNotification } from '../../app/index.js';
import type { Engine, EngineEvent } from '../engine/index.js';
import { toJobDetails } from './job-details.js';
import { maskErrorInfo, maskFileInfo, maskJobInfo } from '../../app/secret-mask.js';

/** Sends one event to one client. */
export type EventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/**
 * Who is at the other end of a link: a `window` (the desktop window, a browser page: code that
 * a compromised page could run) or a `script` (the CLI, a native host: the user's own tools).
 */
export type ClientKind = 'window' | 'script';

/** One client's end of the hub. */
export interface ClientLink {
  readonly kind: ClientKind;
  /** Sets the events this client receives from now on (replacing the previous set). */
  subscribe(events: readonly EventName[]): void;
  /**
   * Registers (or unregisters) this client for one job's callbacks, or with `'all'` for every
   * job's: `jobTransferred`, `jobError`, `jobModification` and `fileTransferred` reach it only
   * for registered jobs, as far as each job's notify flags allow (app/notify-interface.ts).
   */
  setNotifyInterface(jobId: JobId | 'all', enabled: boolean): void;
  /** Stops sending to this client. */
  close(): void;
}

/** Default least time between two `jobsChanged` batches to one client (≤ 4 per second). */
export const DEFAULT_BATCH_INTERVAL_MS = 250;

interface PendingBatch {
  readonly changed: Map<JobId, JobInfo>;
  readonly added: Map<JobId, JobDetails>;
  readonly removed: Set<JobId>;
}

class Client implements ClientLink {
  events = new Set<EventName>();
  /** Jobs this client registered callbacks for (`allJobs`: every job). */
  readonly callbacks = new Set<JobId>();
  allJobs = false;
  pending: PendingBatch = emptyBatch();
  lastFlush = 0;
  timer: NodeJS.Timeout | null = null;
  closed = false;

  constructor(
    readonly send: EventSink,
    readonly kind: ClientKind,
    private readonly onClose: (client: Client) => void,
  ) {}

  subscribe(events: readonly EventName[]): void {
    this.events = new Set(events);
    if (!this.events.has('jobsChanged')) this.pending = emptyBatch();
  }

  setNotifyInterface(jobId: JobId | 'all', enabled: boolean): void {
    if (jobId === 'all') this.allJobs = enabled;
    else if (enabled) this.callbacks.add(jobId);
    else this.callbacks.delete(jobId);
  }

  /** Whether a callback about `job` goes to this client: registered, and the flags allow it. */
  wantsCallback(event: keyof typeof CALLBACK_FLAGS, job: JobInfo): boolean {
    if (!this.events.has(event)) return false;
    if (!this.allJobs && !this.callbacks.has(job.id)) return false;
    return wantsNotification(job.notifyFlags, CALLBACK_FLAGS[event]);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.onClose(this);
  }
}

function emptyBatch(): PendingBatch {
  return { changed: new Map(), added: new Map(), removed: new Set() };
}

/**
 * Fans the engine's events out to clients, numbering them and coalescing UI batches.
 *
 * Every engine event bumps `revision`; a snapshot taken at revision R contains every event up
 * to R, so a client that subscribes first and then fetches a snapshot applies only events
 * above R and loses none. The BITS callback events go out as they come, to the clients
 * registered for the job and as its notify flags allow (a client's registrations end with its
 * link, as BITS callbacks are not persisted either); `jobsChanged` folds
 * them into one batch per client, at most one per interval, and at once when a job's state
 * changes (a UI must never miss a state).
 */
export class EventHub {
  private currentRevision = 0;
  private readonly clients = new Set<Client>();
  private readonly states = new Map<JobId, JobState>();
  /** Files per job as last reported, to notice AddFile/AddFileSet (see `dispatch`). */
  private readonly fileCounts = new Map<JobId, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly batchIntervalMs: number = DEFAULT_BATCH_INTERVAL_MS,
    private readonly onWarning: (message: string, cause?: unknown) => void = () => undefined,
  ) {
    for (const job of engine.parsed.enumJobs(true)) {
      this.states.set(job.getId(), job.getState());
      this.fileCounts.set(job.getId(), job.getProgress().filesTotal);
    }
    this.unsubscribe = engine.subscribe((event) => {
      this.dispatch(event);
    });
  }

  /** The revision of the last event; a snapshot read now reflects every event up to it. */
  get revision(): number {
    return this.currentRevision;
  }

  /** Connects a client; it receives nothing until it subscribes. */
  connect(send: EventSink, kind: ClientKind = 'script'): ClientLink {
    const client = new Client(send, kind, (c) => this.clients.delete(c));
    this.clients.add(client);
    return client;
  }

  /** Disconnects every client and stops listening to the engine. */
  close(): void {
    this.unsubscribe();
    for (const client of [...this.clients]) client.close();
  }

  /**
   * Sends a host event that is not about a job (a pairing request, links for the Add dialog)
   * to every client subscribed to it; returns how many it went to.
   */
  publish<E extends EventName>(event: E, payload: EventPayloads[E]): number {
    let sent = 0;
    for (const client of [...this.clients]) {
      if (!client.events.has(event)) continue;
      this.safeSend(client, event, payload);
      sent++;
    }
    return sent;
  }

  private dispatch(engineEvent: EngineEvent): void {
    // Clients are shown the job with its secrets masked (app/secret-mask.ts).
    const event = shownEvent(engineEvent);
    const revision = ++this.currentRevision;
    let stateChanged = false;
    let added: JobDetails | null = null;
    let withFiles: JobDetails | null = null;
    if (event.type === 'jobRemoved') {
      this.states.delete(event.jobId);
      this.fileCounts.delete(event.jobId);
      for (const client of this.clients) client.callbacks.delete(event.jobId);
    } else {
      const previous = this.states.get(event.job.id);
      stateChanged = previous !== undefined && previous !== event.job.state;
      this.states.set(event.job.id, event.job.state);
      const files = this.fileCounts.get(event.job.id);
      this.fileCounts.set(event.job.id, event.job.progress.filesTotal);
      if (event.type === 'jobAdded') added = this.details(event.job);
      // A job's files (their URLs, for the UI's search) travel only in JobDetails, which a
      // batch otherwise carries for added jobs alone; a job created empty and then given its
      // files would keep an empty file list in every mirror until the next snapshot.
      else if (files !== undefined && files !== event.job.progress.filesTotal) {
        withFiles = this.details(event.job);
      }
    }
    for (const client of this.clients) {
      this.sendDirect(client, event, revision, added);
      if (!client.events.has('jobsChanged')) continue;
      this.fold(client.pending, event, added, withFiles);
      if (stateChanged || event.type === 'jobAdded' || event.type === 'jobRemoved') {
        this.flush(client);
      } else {
        this.schedule(client);
      }
    }
  }

  private details(job: JobInfo): JobDetails {
    try {
      return toJobDetails(this.engine.parsed.job(job.id));
    } catch {
      // Removed between the event and now: report what the event said.
      return { ...job, files: [], errors: [] };
    }
  }

  private sendDirect(
    client: Client,
    event: EngineEvent,
    revision: number,
    added: JobDetails | null,
  ): void {
    if (event.type !== 'jobAdded' && event.type !== 'jobRemoved') {
      if (!client.wantsCallback(event.type, event.job)) return;
    } else if (!client.events.has(event.type)) return;
    switch (event.type) {
      case 'jobAdded':
        this.safeSend(client, 'jobAdded', {
          revision,
          job: added ?? { ...event.job, files: [], errors: [] },
        });
        return;
      case 'jobRemoved':
        this.safeSend(client, 'jobRemoved', { revision, jobId: event.jobId });
        return;
      case 'jobModification':
      case 'jobTransferred':
        this.safeSend(client, event.type, { revision, job: event.job });
        return;
      case 'jobError':
        this.safeSend(client, 'jobError', { revision, job: event.job, error: event.error });
        return;
      case 'fileTransferred':
        this.safeSend(client, 'fileTransferred', { revision, job: event.job, file: event.file });
        return;
    }
  }

  private fold(
    batch: PendingBatch,
    event: EngineEvent,
    added: JobDetails | null,
    withFiles: JobDetails | null,
  ): void {
    if (event.type === 'jobRemoved') {
      batch.added.delete(event.jobId);
      batch.changed.delete(event.jobId);
      batch.removed.add(event.jobId);
      return;
    }
    if (event.type === 'jobAdded' && added !== null) {
      batch.removed.delete(event.job.id);
      batch.added.set(event.job.id, added);
      return;
    }
    const pending = batch.changed.get(event.job.id);
    // A later JobInfo must not drop the file list an earlier event of this batch brought.
    const files = withFiles ?? (pending !== undefined && 'files' in pending ? pending : null);
    batch.changed.set(event.job.id, files === null ? event.job : { ...files, ...event.job });
  }

  private schedule(client: Client): void {
    if (client.timer !== null) return;
    const wait = Math.max(0, client.lastFlush + this.batchIntervalMs - Date.now());
    client.timer = setTimeout(() => {
      client.timer = null;
      this.flush(client);
    }, wait);
    client.timer.unref();
  }

  private flush(client: Client): void {
    if (client.timer !== null) clearTimeout(client.timer);
    client.timer = null;
    const batch = client.pending;
    if (batch.changed.size === 0 && batch.added.size === 0 && batch.removed.size === 0) return;
    client.pending = emptyBatch();
    client.lastFlush = Date.now();
    this.safeSend(client, 'jobsChanged', {
      revision: this.currentRevision,
      changed: [...batch.changed.values()],
      added: [...batch.added.values()],
      removed: [...batch.removed],
    });
  }

  private safeSend<E extends EventName>(client: Client, event: E, payload: EventPayloads[E]): void {
    if (client.closed) return;
    try {
      client.send(event, payload);
    } catch (cause) {
      // One broken client must not stop the others or the engine.
      this.onWarning(`dropping a client whose event sink threw on ${event}`, cause);
      client.close();
    }
  }
}

/** An engine event as clients see it: the job, its error and its file with secrets masked. */
function shownEvent(event: EngineEvent): EngineEvent {
  switch (event.type) {
    case 'jobRemoved':
      return event;
    case 'jobError':
      return { ...event, job: maskJobInfo(event.job), error: maskErrorInfo(event.error) };
    case 'fileTransferred':
      return { ...event, job: maskJobInfo(event.job), file: maskFileInfo(event.file) };
    default:
      return { ...event, job: maskJobInfo(event.job) };
  }
}
