import type { JobId } from '../../../app/model/ids.js';
import type { JobInfo } from '../../../app/model/job.js';

/** A job id from a small number, in the canonical GUID form. */
export function idOf(n: number): JobId {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}` as JobId;
}

/** A plausible JobInfo numbered `n` (created at n seconds), with overrides. */
export function job(n: number, over: Partial<JobInfo> = {}): JobInfo {
  return {
    id: idOf(n),
    type: 'DOWNLOAD',
    flavour: 'BITS',
    displayName: `job ${String(n)}`,
    description: '',
    state: 'SUSPENDED',
    priority: 'NORMAL',
    owner: 'tester',
    progress: { bytesTotal: 1000, bytesTransferred: 0, filesTotal: 1, filesTransferred: 0 },
    times: {
      creationTime: n * 1000,
      modificationTime: n * 1000,
      transferCompletionTime: null,
      retryTime: null,
    },
    minimumRetryDelay: 600,
    noProgressTimeout: 1_209_600,
    maximumDownloadTime: 7_776_000,
    notifyFlags: 3,
    notifyCmdLine: null,
    proxy: { usage: 'PRECONFIG', proxyList: [], bypassList: [] },
    customHeaders: [],
    transferPolicy: {
      connectionsPerFile: null,
      speedLimit: 0,
      completeWhenTransferred: false,
      trustedCertificates: [],
    },
    errorCount: 0,
    error: null,
    credentials: [],
    ...over,
  };
}

/** A job Map as the mirror hands it over. */
export function jobMap(jobs: readonly JobInfo[]): Map<JobId, JobInfo> {
  return new Map(jobs.map((j) => [j.id, j]));
}

/** The same job with new progress. */
export function withBytes(
  j: JobInfo,
  bytesTransferred: number,
  bytesTotal: number | null = 1000,
): JobInfo {
  return { ...j, progress: { ...j.progress, bytesTransferred, bytesTotal } };
}
