import type { FerryErrorCode } from '../../app/index.js';

/**
 * The exit codes of `ferry`, one per kind of failure a script may want to tell apart.
 *
 * Documented in `ferry --help` (EXIT_CODE_HELP) and the README; scripts match on these
 * numbers, so they never change meaning.
 */
export const EXIT = {
  ok: 0,
  /** Anything not listed below: a transfer error from a command, an internal error. */
  other: 1,
  /** Bad usage or input: unknown option, missing argument, bad URL, priority, number. */
  usage: 2,
  /** JOB names no job, or a display name that several jobs share. */
  unknownJob: 3,
  /** The job's state forbids the command (e.g. resume after complete, resume of an empty job). */
  invalidState: 4,
  /** No server answers for the data directory and none could be started. */
  unreachable: 5,
  /** The server refused the access token. */
  unauthorized: 6,
  /** `ferry transfer`: the job stopped in ERROR (it is kept for `ferry error` / `resume`). */
  transferFailed: 7,
  /** Interrupted by Ctrl+C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** One exit code. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_CODE: Partial<Record<FerryErrorCode, ExitCode>> = {
  JOB_NOT_FOUND: EXIT.unknownJob,
  JOB_NOT_IN_HISTORY: EXIT.unknownJob,
  JOB_INVALID_STATE: EXIT.invalidState,
  JOB_EMPTY: EXIT.invalidState,
  JOB_TYPE_NOT_SUPPORTED: EXIT.usage,
  RPC_UNREACHABLE: EXIT.unreachable,
  RPC_DISCONNECTED: EXIT.unreachable,
  ENGINE_LOCKED: EXIT.unreachable,
  RPC_UNAUTHORIZED: EXIT.unauthorized,
  RPC_FORBIDDEN_ORIGIN: EXIT.unauthorized,
  RPC_NOT_PAIRED: EXIT.unauthorized,
};

/** The exit code for a FerryError code: every INPUT_* is a usage error. */
export function exitCodeFor(code: string): ExitCode {
  if (code.startsWith('INPUT_')) return EXIT.usage;
  return (BY_CODE as Partial<Record<string, ExitCode>>)[code] ?? EXIT.other;
}

/** The exit-code table as `ferry --help` prints it. */
export const EXIT_CODE_HELP = `Exit codes:
  0    success
  1    other failure (internal error, a failure reported by the server)
  2    usage or bad input (unknown option, bad URL, priority or number)
  3    unknown job, or a display name shared by several jobs
  4    invalid state for the command (e.g. resume after complete, resume of an empty job)
  5    server unreachable (none runs for the data directory and none could be started)
  6    authentication failure (the server refused the token in <data-dir>/rpc-token)
  7    transfer failed: the job is in ERROR (see 'ferry error JOB', then 'ferry resume JOB')
  130  interrupted by Ctrl+C`;
