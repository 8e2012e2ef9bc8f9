import type { EngineSettings } from '../../app/index.js';
import { recordCheckpoint, resetWatermarks } from './file-watermarks.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { nameFromResponse } from './response-name.js';
import type { JobTable } from './job-table.js';
import type { Notifier } from './notifier.js';
import type { JobRepo } from './store/job-repo.js';
import type { AttemptHost } from './transfer-attempt.js';
import type { BandwidthManager } from './transfer/speed/bandwidth.js';
import type { DispatcherPool } from './transfer/http/proxy.js';
import type { CheckpointPolicy, TransferLimits, TransferStart } from './transfer/types.js';

/** What the host is built from (a part of the job manager's deps). */
export interface AttemptHostDeps {
  readonly repo: JobRepo;
  readonly notifier: Notifier;
  readonly dispatchers: DispatcherPool;
  readonly checkpoint: Omit<CheckpointPolicy, 'syncIntervalMs'> & {
    readonly syncIntervalMs?: number;
  };
  readonly bootId: string;
  readonly limits: TransferLimits;
  readonly bandwidth: BandwidthManager;
  settings(): EngineSettings;
  /** Told when a job makes progress, live or stored (the inactivity rule's clock). */
  readonly progressed?: (job: JobRecord) => void;
}

/**
 * What every transfer attempt is given: the engine's settings, read live, and the hooks that
 * record its progress in the store (checkpoints, validators, transferred files) and notify.
 */
export function createAttemptHost(deps: AttemptHostDeps, table: JobTable): AttemptHost {
  const { repo, notifier, checkpoint, bootId } = deps;
  // Files whose size and validator arrived but are not stored yet: their first checkpoint
  // writes the whole row, so recorded bytes never go without the validator they belong to.
  const unsaved = new WeakSet<FileRecord>();
  const settings = (): EngineSettings => deps.settings();
  return {
    get checkpoint() {
      return {
        ...checkpoint,
        syncIntervalMs: checkpoint.syncIntervalMs ?? settings().syncInterval * 1000,
      };
    },
    limits: deps.limits,
    userAgent: () => settings().userAgent,
    connectionFor: (url, proxy, pinned, tunnelCredential) =>
      deps.dispatchers.connectionFor(url, proxy, pinned, tunnelCredential),
    concurrentFiles: () => settings().concurrentFilesPerJob,
    segmentation: (job) => {
      const current = settings();
      return {
        connections: () => job.transferPolicy.connectionsPerFile ?? settings().connectionsPerFile,
        minSegmentSize: current.minSegmentSize,
        stallTimeoutMs: current.segmentStallTimeout * 1000,
      };
    },
    bandwidth: (job) => deps.bandwidth.register(job),
    onStart: (job: JobRecord, file: FileRecord, start: TransferStart) => {
      const shrinks = start.restarted && (file.bytesOnDisk > 0 || file.segments !== null);
      if (start.restarted) {
        resetWatermarks(file);
        file.bytesLive = 0;
      }
      file.bytesTotal = start.totalBytes;
      file.validator = start.validator;
      // Synchronous and before any byte is written: a shrinking record must land first.
      // Otherwise nothing recorded depends on it yet, and the first checkpoint writes it (a
      // name from the response too: the whole row is written at once, so no recorded byte
      // goes without its name, and a crash before that only means asking the server again).
      if (shrinks) repo.saveFile(job.id, file);
      else unsaved.add(file);
      if (nameFromResponse(job, file, start, table.all())) notifier.modified(job, false);
      if (job.state === 'CONNECTING') table.setState(job, 'TRANSFERRING');
    },
    onLiveProgress: (job) => {
      // Bytes shown in GetProgress are progress for the inactivity rule too, not only once a
      // checkpoint records them: a job seen moving is never cancelled as untouched.
      deps.progressed?.(job);
      notifier.modified(job, false);
    },
    onCheckpoint: (job, file, bytesOnDisk, segments, durable) => {
      const progressed = bytesOnDisk > file.bytesOnDisk;
      const synced = durable && bytesOnDisk > file.bytesDurable;
      if (progressed) {
        job.noProgressSince = null;
        deps.progressed?.(job);
      }
      recordCheckpoint(file, bytesOnDisk, segments, durable, bootId);
      file.bytesLive = Math.max(file.bytesLive, bytesOnDisk);
      // The file's last checkpoint is written with its transferred flag, in a batch (the
      // whole row, validator included, so an unsaved file needs no write of its own here: a
      // crash before the batch only loses the record of bytes that are fetched again).
      if (file.bytesTotal !== null && bytesOnDisk === file.bytesTotal) return;
      if (!progressed && !synced && !unsaved.has(file)) return;
      job.modificationTime = Date.now();
      repo.progressTransaction(() => {
        if (unsaved.delete(file)) repo.saveFile(job.id, file);
        else repo.checkpointFile(job.id, file);
        repo.saveJob(job);
      });
      notifier.modified(job, false);
    },
    commitTransferred: (job, files) => {
      job.noProgressSince = null;
      deps.progressed?.(job);
      job.modificationTime = Date.now();
      repo.transaction(() => {
        for (const file of files) {
          unsaved.delete(file);
          repo.saveFile(job.id, file);
        }
        repo.saveJob(job);
      });
      for (const file of files) notifier.fileTransferred(job, file);
    },
    saveFile: (job, file) => {
      repo.saveFile(job.id, file);
    },
  };
}
