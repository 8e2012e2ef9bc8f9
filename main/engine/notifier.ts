import { spawn } from 'node:child_process';
import type { JobErrorInfo, JobFileInfo, JobId, JobInfo } from '../../app/index.js';
import { wantsNotification } from '../../app/index.js';
import { toFileInfo, toJobInfo } from './job-record.js';
import { formatCmdLine } from './notify-program.js';
import type { FileRecord, JobRecord } from './job-record.js';

/**
 * A job's callback object, as BITS' IBackgroundCopyCallback2 (SetNotifyInterface).
 *
 * Each method is optional; the job's notify flags choose which are called. A method that
 * throws counts as a failed callback, so the notify command line runs instead (BITS rule).
 * Not persisted: like BITS, an application registers again after a restart.
 */
export interface JobNotifyInterface {
  jobTransferred?(job: JobInfo): void;
  jobError?(job: JobInfo, error: JobErrorInfo): void;
  jobModification?(job: JobInfo): void;
  fileTransferred?(job: JobInfo, file: JobFileInfo): void;
}

/**
 * An engine-wide event, for shells that show every job.
 *
 * Not filtered by notify flags; `jobModification` is coalesced like the per-job callback.
 */
export type EngineEvent =
  | { readonly type: 'jobAdded'; readonly job: JobInfo }
  | { readonly type: 'jobRemoved'; readonly jobId: JobId }
  | { readonly type: 'jobModification'; readonly job: JobInfo }
  | { readonly type: 'jobTransferred'; readonly job: JobInfo }
  | { readonly type: 'jobError'; readonly job: JobInfo; readonly error: JobErrorInfo }
  | { readonly type: 'fileTransferred'; readonly job: JobInfo; readonly file: JobFileInfo };

/** A listener of engine-wide events. */
export type EngineListener = (event: EngineEvent) => void;

interface Coalescing {
  lastSent: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Delivers job notifications: per-job callbacks filtered by notify flags, the notify command
 * line, and engine-wide events.
 *
 * JobModification is "high volume" in BITS; here it is sent at most once per interval per job,
 * and at once when the state changes, so a UI never misses a state.
 */
export class Notifier {
  private readonly interfaces = new Map<JobId, JobNotifyInterface>();
  private readonly listeners = new Set<EngineListener>();
  private readonly coalescing = new Map<JobId, Coalescing>();

  constructor(
    private readonly lookup: (id: JobId) => JobRecord | undefined,
    private readonly intervalMs: number,
    private readonly onWarning: (message: string, cause?: unknown) => void,
  ) {}

  /** Sets (or with null clears) a job's callback object. */
  setInterface(jobId: JobId, callbacks: JobNotifyInterface | null): void {
    if (callbacks === null) this.interfaces.delete(jobId);
    else this.interfaces.set(jobId, callbacks);
  }

  /** A job's callback object, or null. */
  getInterface(jobId: JobId): JobNotifyInterface | null {
    return this.interfaces.get(jobId) ?? null;
  }

  /** Adds an engine-wide listener; returns the function that removes it. */
  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A job changed: a property, its progress or (with `stateChanged`) its state. */
  modified(job: JobRecord, stateChanged: boolean): void {
    let entry = this.coalescing.get(job.id);
    if (entry === undefined) this.coalescing.set(job.id, (entry = { lastSent: 0, timer: null }));
    const now = Date.now();
    if (stateChanged || now - entry.lastSent >= this.intervalMs) {
      this.sendModification(job.id, entry);
      return;
    }
    if (entry.timer === null) {
      const state = entry;
      state.timer = setTimeout(
        () => {
          this.sendModification(job.id, state);
        },
        state.lastSent + this.intervalMs - now,
      );
      state.timer.unref();
    }
  }

  private sendModification(jobId: JobId, entry: Coalescing): void {
    if (entry.timer !== null) clearTimeout(entry.timer);
    entry.timer = null;
    entry.lastSent = Date.now();
    const job = this.lookup(jobId);
    if (job === undefined) return;
    const info = toJobInfo(job);
    this.emit({ type: 'jobModification', job: info });
    if (wantsNotification(job.notifyFlags, 'JOB_MODIFICATION')) {
      this.call(jobId, (cb) => {
        cb.jobModification?.(info);
        return true;
      });
    }
  }

  /** Every file of the job has transferred. */
  transferred(job: JobRecord): void {
    const info = toJobInfo(job);
    this.emit({ type: 'jobTransferred', job: info });
    if (!wantsNotification(job.notifyFlags, 'JOB_TRANSFERRED')) return;
    const delivered = this.call(job.id, (cb) => {
      if (cb.jobTransferred === undefined) return false;
      cb.jobTransferred(info);
      return true;
    });
    if (!delivered) this.runCmdLine(job);
  }

  /** The job went to ERROR. */
  error(job: JobRecord, error: JobErrorInfo): void {
    const info = toJobInfo(job);
    this.emit({ type: 'jobError', job: info, error });
    if (!wantsNotification(job.notifyFlags, 'JOB_ERROR')) return;
    const delivered = this.call(job.id, (cb) => {
      if (cb.jobError === undefined) return false;
      cb.jobError(info, error);
      return true;
    });
    if (!delivered) this.runCmdLine(job);
  }

  /** One file of the job has transferred. */
  fileTransferred(job: JobRecord, file: FileRecord): void {
    const info = toJobInfo(job);
    const fileInfo = toFileInfo(file);
    this.emit({ type: 'fileTransferred', job: info, file: fileInfo });
    if (wantsNotification(job.notifyFlags, 'FILE_TRANSFERRED')) {
      this.call(job.id, (cb) => {
        cb.fileTransferred?.(info, fileInfo);
        return true;
      });
    }
  }

  /** A job was created. */
  added(job: JobRecord): void {
    this.emit({ type: 'jobAdded', job: toJobInfo(job) });
  }

  /** A job left the engine (removed from history). */
  removed(jobId: JobId): void {
    this.forget(jobId);
    this.emit({ type: 'jobRemoved', jobId });
  }

  /** Drops a job's callback and pending modification. */
  forget(jobId: JobId): void {
    const entry = this.coalescing.get(jobId);
    if (entry?.timer != null) clearTimeout(entry.timer);
    this.coalescing.delete(jobId);
    this.interfaces.delete(jobId);
  }

  /** Cancels every pending notification. */
  close(): void {
    for (const entry of this.coalescing.values()) {
      if (entry.timer !== null) clearTimeout(entry.timer);
    }
    this.coalescing.clear();
    this.listeners.clear();
    this.interfaces.clear();
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (cause) {
        this.onWarning(`An engine listener threw on ${event.type}`, cause);
      }
    }
  }

  /** Calls the job's callback object; true when it took the notification without throwing. */
  private call(jobId: JobId, fn: (cb: JobNotifyInterface) => boolean): boolean {
    const callbacks = this.interfaces.get(jobId);
    if (callbacks === undefined) return false;
    try {
      return fn(callbacks);
    } catch (cause) {
      this.onWarning(`A notify callback of job ${jobId} threw`, cause);
      return false;
    }
  }

  /** Runs the job's notify command line, without a shell, detached from the engine. */
  private runCmdLine(job: JobRecord): void {
    const cmd = job.notifyCmdLine;
    if (cmd === null) return;
    // Every run is logged with its job: a program that runs later deserves a trace.
    this.onWarning(`Running the notify command line of job ${job.id}: ${formatCmdLine(cmd)}`);
    try {
      const child = spawn(cmd.program, [...cmd.args], { stdio: 'ignore', detached: true });
      child.on('error', (cause) => {
        this.onWarning(`Notify command line of job ${job.id} failed: ${cmd.program}`, cause);
      });
      child.unref();
    } catch (cause) {
      this.onWarning(`Notify command line of job ${job.id} failed: ${cmd.program}`, cause);
    }
  }
}
