import type { EventPayloads } from '../../app/contract.js';
import type { AppSettings } from '../../app/model/app-settings.js';
import type { JobId } from '../../app/model/ids.js';
import { formatBytes } from './tray-text.js';

/**
 * The OS notifications Ferry shows: one when a job has transferred (it waits for Complete) and
 * one when a job stops in ERROR. Transient errors are retried on their own and stay quiet.
 */

/** A notification to show, and the job a click on it selects. */
export interface NotificationText {
  readonly title: string;
  readonly body: string;
  readonly jobId: JobId;
}

/** The events that can raise a notification. */
export type NotifyingEvent =
  | { readonly event: 'jobTransferred'; readonly payload: EventPayloads['jobTransferred'] }
  | { readonly event: 'jobError'; readonly payload: EventPayloads['jobError'] };

/** The notification for an event, or null when the settings turn notifications off. */
export function notificationFor(
  input: NotifyingEvent,
  settings: Pick<AppSettings, 'notifications'>,
): NotificationText | null {
  if (!settings.notifications) return null;
  const job = input.payload.job;
  const name = job.displayName;
  if (input.event === 'jobTransferred') {
    const files = job.progress.filesTotal;
    const size = formatBytes(job.progress.bytesTransferred);
    return {
      title: 'Download finished',
      body: `${name}: ${files === 1 ? '1 file' : `${files} files`}, ${size}`,
      jobId: job.id,
    };
  }
  const error = input.payload.error;
  const file = error.fileIndex === null ? '' : ` (file ${error.fileIndex + 1})`;
  return {
    title: 'Download failed',
    body: `${name}${file}: ${error.message}`,
    jobId: job.id,
  };
}
