import type { EventPayloads } from '../../app/contract.js';
import type { AppSettings } from '../../app/model/app-settings.js';
import type { JobId } from '../../app/model/ids.js';
import type { JobFileInfo } from '../../app/model/job.js';
import { wantsNotification } from '../../app/model/notify-flags.js';
import { fillIn, shellText } from '../../app/shell-text.js';
import { formatBytes } from './tray-text.js';

/**
 * The OS notifications Ferry shows: one when a job has transferred and one when a job stops in
 * ERROR, each naming the job and the file. Transient errors are retried on their own and stay
 * quiet. A job's notify flags decide (DISABLE silences it, JOB_TRANSFERRED / JOB_ERROR let each
 * through), and the `notifications` setting turns them all off.
 */

/** A notification to show, and what a click on it opens. */
export interface NotificationText {
  readonly title: string;
  readonly body: string;
  readonly jobId: JobId;
  /** A failed job's notification opens its error. */
  readonly showError: boolean;
}

/** The events that can raise a notification. */
export type NotifyingEvent =
  | { readonly event: 'jobTransferred'; readonly payload: EventPayloads['jobTransferred'] }
  | { readonly event: 'jobError'; readonly payload: EventPayloads['jobError'] };

/** The file a path names, as a user knows it: its last segment. */
export function fileName(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .filter((part) => part !== '')
      .at(-1) ?? path
  );
}

/**
 * The notification for an event, or null when the job's flags or the settings say none.
 *
 * `files` are the job's files (from `job.get`), for their names; the payload carries the job
 * without them.
 */
export function notificationFor(
  input: NotifyingEvent,
  files: readonly JobFileInfo[],
  settings: Pick<AppSettings, 'notifications' | 'language'>,
): NotificationText | null {
  if (!settings.notifications) return null;
  const job = input.payload.job;
  const text = shellText(settings.language).notification;
  const name = job.displayName;
  if (input.event === 'jobTransferred') {
    if (!wantsNotification(job.notifyFlags, 'JOB_TRANSFERRED')) return null;
    const first = files[0];
    const size = formatBytes(job.progress.bytesTransferred, shellText(settings.language));
    const file =
      first === undefined
        ? size
        : files.length === 1
          ? fileName(first.localName)
          : fillIn(text.transferredMore, {
              file: fileName(first.localName),
              count: files.length - 1,
              size,
            });
    return {
      title: text.transferredTitle,
      body: fillIn(text.transferredBody, { name, file }),
      jobId: job.id,
      showError: false,
    };
  }
  if (!wantsNotification(job.notifyFlags, 'JOB_ERROR')) return null;
  const error = input.payload.error;
  const failed = error.fileIndex === null ? undefined : files[error.fileIndex];
  const body =
    failed === undefined
      ? fillIn(text.erroredNoFile, { name, message: error.message })
      : fillIn(text.erroredBody, {
          name,
          file: fileName(failed.localName),
          message: error.message,
        });
  return { title: text.erroredTitle, body, jobId: job.id, showError: true };
}
