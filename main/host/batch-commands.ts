import { rm } from 'node:fs/promises';
import type {
  JobBatchAction,
  JobId,
  JobPriority,
  JobsBatchOutput,
  ParsedInput,
} from '../../app/index.js';
import { FerryError, isFinalState, isUploadType, toErrorShape } from '../../app/index.js';
import type { Engine, Job } from '../engine/index.js';

/** One priority step, as the queue shows it: HIGH is "up" from NORMAL. */
const STEP_UP: Readonly<Record<JobPriority, JobPriority>> = {
  FOREGROUND: 'FOREGROUND',
  HIGH: 'HIGH',
  NORMAL: 'HIGH',
  LOW: 'NORMAL',
};
const STEP_DOWN: Readonly<Record<JobPriority, JobPriority>> = {
  FOREGROUND: 'HIGH',
  HIGH: 'NORMAL',
  NORMAL: 'LOW',
  LOW: 'LOW',
};

/**
 * Deletes the files a completed job left at their final names. An upload job's file is the
 * user's own, sent from where it is: only an upload-reply job's reply is the job's output.
 */
async function deleteCompletedFiles(job: Job): Promise<void> {
  const reply = job.getReply();
  const outputs = isUploadType(job.getType())
    ? reply?.completed === true && reply.fileName !== null
      ? [{ index: 0, localName: reply.fileName }]
      : []
    : job.enumFiles().filter((file) => file.progress.completed);
  for (const file of outputs) {
    try {
      await rm(file.localName, { force: true });
    } catch (error) {
      throw new FerryError(
        'DISK_IO_ERROR',
        'LOCAL_FILE',
        `Could not delete ${file.localName}: ${error instanceof Error ? error.message : String(error)}`,
        { fileIndex: file.index },
      );
    }
  }
}

/** Does one action to one job; throws the engine's error when the job refuses. */
async function applyTo(
  engine: Engine,
  action: JobBatchAction,
  jobId: JobId,
  deleteFiles: boolean,
): Promise<void> {
  const { jobs } = engine.parsed;
  const job = engine.parsed.job(jobId);
  switch (action) {
    case 'suspend':
      return jobs['job.suspend']({ jobId });
    case 'resume':
      return jobs['job.resume']({ jobId });
    case 'complete':
      await jobs['job.complete']({ jobId });
      return;
    case 'cancel':
      await jobs['job.cancel']({ jobId });
      return;
    case 'moveUp':
      return jobs['job.setPriority']({ jobId, priority: STEP_UP[job.getPriority()] });
    case 'moveDown':
      return jobs['job.setPriority']({ jobId, priority: STEP_DOWN[job.getPriority()] });
    case 'remove':
      if (!isFinalState(job.getState())) await jobs['job.cancel']({ jobId });
      else if (deleteFiles) await deleteCompletedFiles(job);
      engine.parsed.removeFromHistory(jobId);
      return;
  }
}

/**
 * `jobs.batch`: one action on many jobs, one after the other, with a result per job.
 *
 * A job that refuses (a final state, an unknown id) is reported with its error and does not
 * stop the others; each job's own change is all-or-nothing, as its single command is. Jobs are
 * taken in the order given and each at most once.
 */
export async function runBatch(
  engine: Engine,
  input: ParsedInput<'jobs.batch'>,
): Promise<JobsBatchOutput> {
  const ids = [...new Set(input.jobIds)];
  const failed: JobsBatchOutput['failed'][number][] = [];
  for (const jobId of ids) {
    try {
      await applyTo(engine, input.action, jobId, input.deleteFiles);
    } catch (error) {
      failed.push({ jobId, error: toErrorShape(error) });
    }
  }
  return {
    action: input.action,
    requested: ids.length,
    done: ids.length - failed.length,
    failed,
  };
}
