import type { JobDetails } from '../../app/index.js';
import type { Job } from '../engine/index.js';

/**
 * A job as the contract reports it to clients: its properties, files and error log.
 */
export function toJobDetails(job: Job): JobDetails {
  return { ...job.info(), files: job.enumFiles(), errors: job.listErrors() };
}
