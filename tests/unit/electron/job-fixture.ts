import type { JobId, JobInfo, JobState } from '../../../app/index.js';
import { DEFAULT_PROXY_SETTINGS, DEFAULT_TRANSFER_POLICY } from '../../../app/index.js';

/** A job id built from a small number, for readable tests. */
export function jobId(n: number): JobId {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}` as JobId;
}

/** A JobInfo as the engine reports it, with the fields a test cares about overridden. */
export function jobInfo(
  n: number,
  state: JobState,
  progress: Partial<JobInfo['progress']> = {},
  extra: Partial<JobInfo> = {},
): JobInfo {
  return {
    id: jobId(n),
    type: 'DOWNLOAD',
    flavour: 'BITS',
    displayName: `job ${n}`,
    description: '',
    state,
    priority: 'NORMAL',
    owner: 'tester',
    progress: {
      bytesTotal: 1000,
      bytesTransferred: 0,
      filesTotal: 1,
      filesTransferred: 0,
      ...progress,
    },
    times: { creationTime: 0, modificationTime: 0, transferCompletionTime: null, retryTime: null },
    minimumRetryDelay: 600,
    noProgressTimeout: 1_209_600,
    maximumDownloadTime: 7_776_000,
    notifyFlags: 3,
    notifyCmdLine: null,
    proxy: DEFAULT_PROXY_SETTINGS,
    customHeaders: [],
    transferPolicy: DEFAULT_TRANSFER_POLICY,
    errorCount: 0,
    error: null,
    credentials: [],
    ...extra,
  };
}
