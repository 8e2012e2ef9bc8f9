import { NotifyFlag, wantsNotification } from '../../../app/model/notify-flags.js';

/**
 * The details pane's "Notify me" toggle, in terms of the job's BITS notify flags: on means the
 * job raises JobTransferred and JobError (an OS notification when it finishes or fails, and
 * those callbacks to registered clients); off clears those two and leaves the rest as it was.
 */

/** Whether the toggle shows as on for these flags (DISABLE makes it off). */
export function notifiesMe(flags: number): boolean {
  return wantsNotification(flags, 'JOB_TRANSFERRED') || wantsNotification(flags, 'JOB_ERROR');
}

/** The flags after switching the toggle to `on`. */
export function withNotifyMe(flags: number, on: boolean): number {
  const both = NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_ERROR;
  return on ? (flags & ~NotifyFlag.DISABLE) | both : flags & ~both;
}
