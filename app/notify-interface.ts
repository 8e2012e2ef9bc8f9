import { z } from 'zod';
import { jobIdSchema } from './commands.js';
import type { JobId } from './model/ids.js';
import type { NotifyFlagName } from './model/notify-flags.js';

/**
 * The notify interface over the contract: a client registers for a job's callbacks, as a BITS
 * application calls IBackgroundCopyJob::SetNotifyInterface, and from then on receives that
 * job's `jobTransferred`, `jobError`, `jobModification` and `fileTransferred` events, each only
 * when the job's notify flags ask for it (DISABLE silences all).
 *
 * A registration belongs to the client's link (a window's IPC link, a WebSocket): it ends when
 * the window or the connection does, and is never stored, as BITS does not persist callbacks
 * either. `jobModification` is coalesced by the engine to the minimum notification interval
 * (500 ms) per job, and always sent once when the job's state changes.
 */

/** Input of `job.setNotifyInterface`: register (or, with `enabled: false`, unregister). */
export const setNotifyInterfaceInput = z.strictObject({
  jobId: jobIdSchema,
  enabled: z.boolean(),
});

/**
 * Input of `jobs.setNotifyInterface`: register for every job, present and future (a shell's
 * tray and OS notifications); the flags of each job still decide what arrives.
 */
export const setAllNotifyInterfacesInput = z.strictObject({ enabled: z.boolean() });

/** Result of `job.setNotifyInterface`: what the client is registered for now. */
export interface NotifyRegistration {
  readonly jobId: JobId;
  readonly registered: boolean;
  /** The job's notify flags at registration: what it will be sent. */
  readonly notifyFlags: number;
}

/** The events a notify-interface registration delivers (the BITS callbacks). */
export const CALLBACK_EVENTS = [
  'jobTransferred',
  'jobError',
  'jobModification',
  'fileTransferred',
] as const;

/** One callback event. */
export type CallbackEvent = (typeof CALLBACK_EVENTS)[number];

/** The notify flag that lets each callback through. */
export const CALLBACK_FLAGS = {
  jobTransferred: 'JOB_TRANSFERRED',
  jobError: 'JOB_ERROR',
  jobModification: 'JOB_MODIFICATION',
  fileTransferred: 'FILE_TRANSFERRED',
} as const satisfies Record<CallbackEvent, NotifyFlagName>;
