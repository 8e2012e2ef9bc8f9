import type { JobInfo, NotifyCmdLine } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import type { Engine } from '../engine/index.js';
import { checkNotifyProgram, formatCmdLine } from '../engine/index.js';
import type { CommandHandlers } from './command-table.js';
import type { ClientLink } from './event-hub.js';
import { toJobDetails } from './job-details.js';
import { maskJobInfo } from '../../app/secret-mask.js';

/**
 * The commands whose handling depends on the calling client's link: the notify interface
 * (kept on the link) and the notify command line (a window must have it confirmed).
 */
export const CALLER_COMMANDS = [
  'job.setNotifyInterface',
  'jobs.setNotifyInterface',
  'job.setNotifyCmdLine',
] as const;

/**
 * Asks the user whether a window may set this program to run; resolves true when they agree.
 * `text` is the full command line as it will run.
 */
export type ConfirmNotifyCmdLine = (request: {
  readonly job: JobInfo;
  readonly cmdLine: NotifyCmdLine;
  readonly text: string;
}) => Promise<boolean>;

/** One caller-scoped command. */
export type CallerCommandName = (typeof CALLER_COMMANDS)[number];

/**
 * Handlers of the notify-interface commands (app/notify-interface.ts).
 *
 * A registration is kept on the caller's link, so a command that arrives without one (a
 * caller that has no event stream to deliver to) is refused with INPUT_INVALID rather than
 * registering something no one will ever receive.
 */
export function notifyCommands(
  engine: Engine,
  confirm?: ConfirmNotifyCmdLine,
): CommandHandlers<CallerCommandName> {
  const linkOf = (caller: ClientLink | undefined, command: string): ClientLink => {
    if (caller !== undefined) return caller;
    throw new FerryError(
      'INPUT_INVALID',
      'NONE',
      `${command} needs a client with an event stream (a window or a WebSocket connection)`,
    );
  };
  return {
    'job.setNotifyInterface': (input, caller) => {
      const link = linkOf(caller, 'job.setNotifyInterface');
      // GetJob first: an unknown job is refused (JOB_NOT_FOUND) and nothing is registered.
      const job = engine.parsed.job(input.jobId);
      link.setNotifyInterface(input.jobId, input.enabled);
      return Promise.resolve({
        jobId: input.jobId,
        registered: input.enabled,
        notifyFlags: job.getNotifyFlags(),
      });
    },
    'jobs.setNotifyInterface': (input, caller) => {
      linkOf(caller, 'jobs.setNotifyInterface').setNotifyInterface('all', input.enabled);
      return Promise.resolve({ registered: input.enabled });
    },
    /**
     * SetNotifyCmdLine. A program the engine will run later is code execution: from a window
     * (whose page a script could have been injected into) it is stored only once the user has
     * confirmed the full command in a dialog the page cannot touch; with no dialog (a browser
     * window of `ferry serve`) it is refused, and the CLI at a terminal sets it. Clearing it
     * needs no confirmation.
     */
    'job.setNotifyCmdLine': async (input, caller) => {
      const job = engine.parsed.job(input.jobId);
      const cmdLine = input.cmdLine;
      if (cmdLine !== null && caller?.kind === 'window') {
        // Refuse a bad program before asking the user about it.
        checkNotifyProgram(cmdLine);
        const text = formatCmdLine(cmdLine);
        if (confirm === undefined) {
          throw new FerryError(
            'INPUT_NOT_CONFIRMED',
            'NONE',
            `A browser window cannot set a program to run; at a terminal: ferry setnotifycmdline ${input.jobId} ${text}`,
          );
        }
        if (!(await confirm({ job: maskJobInfo(job.info()), cmdLine, text }))) {
          throw new FerryError(
            'INPUT_NOT_CONFIRMED',
            'NONE',
            `The program to run for '${job.getDisplayName()}' was not confirmed: ${text}`,
          );
        }
      }
      await engine.parsed.jobs['job.setNotifyCmdLine'](input);
      return toJobDetails(job);
    },
  };
}
