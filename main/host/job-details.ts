import type { JobDetails } from '../../app/index.js';
import { maskJobDetails } from '../../app/secret-mask.js';
import type { Job } from '../engine/index.js';

/**
 * A job as the contract reports it to clients: its properties, files and error log, with its
 * secrets masked (header values, proxy and URL passwords: app/secret-mask.ts). The engine
 * keeps the real values; what leaves it for display never carries them.
 */
export function toJobDetails(job: Job): JobDetails {
  return maskJobDetails({ ...job.info(), files: job.enumFiles(), errors: job.listErrors() });
}
