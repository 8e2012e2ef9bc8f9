import type { CommandOutput, ParsedInput } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import type { Engine } from '../engine/index.js';
import type { ClientLink } from './event-hub.js';

/** The commands that act on the calling client's link rather than on the engine alone. */
export const CALLER_COMMANDS = ['job.setNotifyInterface', 'jobs.setNotifyInterface'] as const;

/** One caller-scoped command. */
export type CallerCommandName = (typeof CALLER_COMMANDS)[number];

/** A handler per caller-scoped command: parsed input and the caller's link in, result out. */
export type CallerCommandHandlers = {
  readonly [K in CallerCommandName]: (
    input: ParsedInput<K>,
    caller: ClientLink | undefined,
  ) => Promise<CommandOutput<K>>;
};

/**
 * Handlers of the notify-interface commands (app/notify-interface.ts).
 *
 * A registration is kept on the caller's link, so a command that arrives without one (a
 * caller that has no event stream to deliver to) is refused with INPUT_INVALID rather than
 * registering something no one will ever receive.
 */
export function notifyCommands(engine: Engine): CallerCommandHandlers {
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
      const job = engine.getJob(input.jobId);
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
  };
}
