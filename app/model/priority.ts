/**
 * Job priorities, named as BITS' `BG_JOB_PRIORITY` (FOREGROUND = 0 … LOW = 3).
 *
 * FOREGROUND jobs run at once; the background ones (HIGH, NORMAL, LOW) share a bounded number of
 * slots in priority order, first come first served within a priority.
 */
export const JOB_PRIORITIES = ['FOREGROUND', 'HIGH', 'NORMAL', 'LOW'] as const;

/** One of the four BITS priorities. */
export type JobPriority = (typeof JOB_PRIORITIES)[number];

/** The priority of a new job (BITS default). */
export const DEFAULT_PRIORITY: JobPriority = 'NORMAL';

/** Sort rank of a priority: lower runs first. */
export function priorityRank(priority: JobPriority): number {
  return JOB_PRIORITIES.indexOf(priority);
}
