/**
 * Notification flags with their BITS numeric values (`BG_NOTIFY_*`).
 *
 * DISABLE turns every other flag off. JOB_MODIFICATION and FILE_TRANSFERRED are ignored for the
 * notify command line, which only runs on TRANSFERRED and ERROR.
 */
export const NotifyFlag = {
  JOB_TRANSFERRED: 0x0001,
  JOB_ERROR: 0x0002,
  DISABLE: 0x0004,
  JOB_MODIFICATION: 0x0008,
  FILE_TRANSFERRED: 0x0010,
} as const;

/** The name of one notify flag. */
export type NotifyFlagName = keyof typeof NotifyFlag;

/** Every defined flag bit OR-ed together; other bits are invalid input. */
export const ALL_NOTIFY_FLAGS: number = Object.values(NotifyFlag).reduce((a, b) => a | b, 0);

/** Default flags of a new job: JOB_TRANSFERRED | JOB_ERROR (BITS default). */
export const DEFAULT_NOTIFY_FLAGS: number = NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_ERROR;

/**
 * Whether the flags ask for the given notification.
 *
 * DISABLE wins over every other bit.
 */
export function wantsNotification(flags: number, flag: NotifyFlagName): boolean {
  if ((flags & NotifyFlag.DISABLE) !== 0) return false;
  return (flags & NotifyFlag[flag]) !== 0;
}
