import type { ErrorContext } from './model/error-context.js';
import type { JobState } from './model/job-state.js';
import type { JobMethod } from './transitions.js';

/**
 * Every error code Ferry reports, grouped by prefix.
 *
 * Callers match on these codes, never on classes or messages. JOB_* are job-model refusals
 * (BITS' BG_E_*), INPUT_* bad input rejected at a boundary, HTTP_* and NET_* transport
 * failures, FILE_* problems with a source or a rename, DISK_* local storage failures, RPC_* the
 * link between a client and the engine's host (unknown command, bad token, host unreachable, a
 * browser extension the user has not paired).
 */
export const FERRY_ERROR_CODES = [
  'JOB_NOT_FOUND',
  'JOB_INVALID_STATE',
  'JOB_EMPTY',
  'JOB_TYPE_NOT_SUPPORTED',
  'JOB_NO_PROGRESS',
  /** The job spent its maximum download time connecting and transferring (BG_E_MAXDOWNLOAD_TIMEOUT). */
  'JOB_MAX_DOWNLOAD_TIME',
  'JOB_NOT_IN_HISTORY',
  'ENGINE_CLOSED',
  'ENGINE_LOCKED',
  'STORE_FAILED',
  'INPUT_INVALID',
  'INPUT_UNSUPPORTED_SCHEME',
  'INPUT_INVALID_URL',
  'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
  'INPUT_LOCAL_NAME_DUPLICATE',
  'INPUT_FOLDER_NOT_WRITABLE',
  'INPUT_FILE_INDEX',
  'INPUT_NOT_CONFIRMED',
  /** A second file for an upload job, which holds exactly one (BG_E_TOO_MANY_FILES). */
  'INPUT_TOO_MANY_FILES',
  /** The file to upload does not exist or cannot be read when it is added. */
  'INPUT_SOURCE_NOT_READABLE',
  /** A method for another job type, e.g. a reply file name on a download job. */
  'INPUT_WRONG_JOB_TYPE',
  /** The method does not exist in the job's flavour (SetMinimumRetryDelay on a DO job). */
  'INPUT_UNSUPPORTED_FOR_FLAVOUR',
  'HTTP_NOT_FOUND',
  'HTTP_ACCESS_DENIED',
  'HTTP_CLIENT_ERROR',
  'HTTP_REQUEST_TIMEOUT',
  'HTTP_TOO_MANY_REQUESTS',
  'HTTP_SERVER_ERROR',
  'HTTP_UNEXPECTED_STATUS',
  'HTTP_TOO_MANY_REDIRECTS',
  'HTTP_REDIRECT_LOOP',
  'HTTP_BAD_REDIRECT',
  'HTTP_LENGTH_MISMATCH',
  'HTTP_BAD_CONTENT_RANGE',
  /** The server does not speak the BITS upload protocol (BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH). */
  'HTTP_PROTOCOL_MISMATCH',
  'HTTP_MALFORMED_RESPONSE',
  'NET_CONNECTION_RESET',
  'NET_CONNECTION_REFUSED',
  'NET_TIMEOUT',
  'NET_DNS_FAILURE',
  'NET_TLS_FAILURE',
  'NET_PROXY_FAILURE',
  'NET_FAILURE',
  'FILE_SOURCE_NOT_FOUND',
  'FILE_SOURCE_ACCESS_DENIED',
  'FILE_SOURCE_CHANGED',
  'FILE_SOURCE_NOT_A_FILE',
  'FILE_RENAME_FAILED',
  /** A file's content does not have its expected digest, or SetValidationState(false). */
  'FILE_VALIDATION_FAILED',
  'DISK_FULL',
  'DISK_ACCESS_DENIED',
  'DISK_PATH_INVALID',
  'DISK_IO_ERROR',
  'NOTIFY_COMMAND_FAILED',
  'RPC_UNKNOWN_COMMAND',
  'RPC_UNAUTHORIZED',
  'RPC_UNREACHABLE',
  'RPC_DISCONNECTED',
  'RPC_PROTOCOL',
  'RPC_FORBIDDEN_ORIGIN',
  'RPC_NOT_PAIRED',
  'INTERNAL',
] as const;

/** One Ferry error code. */
export type FerryErrorCode = (typeof FERRY_ERROR_CODES)[number];

/**
 * The structured fields an error may carry besides its code, context and message.
 *
 * `method` and `state` are set on JOB_INVALID_STATE; `fileIndex`, `httpStatus` and `sysCode`
 * whenever a file, an HTTP response or a system call is behind the error.
 */
export interface FerryErrorFields {
  readonly fileIndex?: number;
  readonly httpStatus?: number;
  readonly sysCode?: string;
  readonly method?: JobMethod;
  readonly state?: JobState;
  /** Seconds the server asked us to wait (HTTP Retry-After). */
  readonly retryAfter?: number;
}

/** The plain-data form of a FerryError, the one that crosses process boundaries. */
export interface FerryErrorShape extends FerryErrorFields {
  readonly code: FerryErrorCode;
  readonly context: ErrorContext;
  readonly message: string;
}

/** What a FerryError is built from: its fields plus the original cause. */
export interface FerryErrorDetails extends FerryErrorFields {
  readonly cause?: unknown;
}

/**
 * The one error class of Ferry: a code, a BITS error context and a message that reads well alone.
 *
 * Match on `code` (it survives serialisation); `instanceof` does not cross a process boundary.
 * The original cause is kept non-enumerable so that logging or serialising stays small.
 */
export class FerryError extends Error {
  override readonly name = 'FerryError';
  readonly code: FerryErrorCode;
  readonly context: ErrorContext;
  readonly fileIndex: number | undefined;
  readonly httpStatus: number | undefined;
  readonly sysCode: string | undefined;
  readonly method: JobMethod | undefined;
  readonly state: JobState | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    code: FerryErrorCode,
    context: ErrorContext,
    message: string,
    details: FerryErrorDetails = {},
  ) {
    super(message);
    this.code = code;
    this.context = context;
    this.fileIndex = details.fileIndex;
    this.httpStatus = details.httpStatus;
    this.sysCode = details.sysCode;
    this.method = details.method;
    this.state = details.state;
    this.retryAfter = details.retryAfter;
    if (details.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: details.cause, enumerable: false });
    }
  }

  /** A copy of this error that names the file it concerns. */
  withFileIndex(fileIndex: number): FerryError {
    return new FerryError(this.code, this.context, this.message, {
      ...this.details(),
      fileIndex,
      cause: this.cause,
    });
  }

  private details(): FerryErrorFields {
    const d: { -readonly [K in keyof FerryErrorFields]: FerryErrorFields[K] } = {};
    if (this.fileIndex !== undefined) d.fileIndex = this.fileIndex;
    if (this.httpStatus !== undefined) d.httpStatus = this.httpStatus;
    if (this.sysCode !== undefined) d.sysCode = this.sysCode;
    if (this.method !== undefined) d.method = this.method;
    if (this.state !== undefined) d.state = this.state;
    if (this.retryAfter !== undefined) d.retryAfter = this.retryAfter;
    return d;
  }

  /** The plain-data shape of this error. */
  toShape(): FerryErrorShape {
    return { code: this.code, context: this.context, message: this.message, ...this.details() };
  }
}

/**
 * A method was called in a state that forbids it (BITS' BG_E_INVALID_STATE).
 *
 * Names the method and the state, e.g. "Cannot resume job 'x' in state ACKNOWLEDGED".
 */
export class InvalidStateError extends FerryError {
  constructor(jobLabel: string, method: JobMethod, state: JobState) {
    super(
      'JOB_INVALID_STATE',
      'GENERAL_QUEUE_MANAGER',
      `Cannot ${describeMethod(method)} job '${jobLabel}' in state ${state}`,
      { method, state },
    );
  }
}

/**
 * A method the job's flavour does not have in any state, e.g. SetMinimumRetryDelay on a DO
 * job. An input error, not a state one: no state of that job would allow it.
 */
export class UnsupportedForFlavourError extends FerryError {
  constructor(jobLabel: string, method: JobMethod, state: JobState, reason: string) {
    super(
      'INPUT_UNSUPPORTED_FOR_FLAVOUR',
      'GENERAL_QUEUE_MANAGER',
      `Cannot ${describeMethod(method)} job '${jobLabel}': ${reason}`,
      { method, state },
    );
  }
}

const METHOD_VERBS: Readonly<Record<JobMethod, string>> = {
  suspend: 'suspend',
  resume: 'resume',
  complete: 'complete',
  cancel: 'cancel',
  addFile: 'add files to',
  setProperty: 'change a property of',
  setMinimumRetryDelay: 'change the minimum retry delay of',
  setRemoteName: 'change a remote name of',
  replaceRemotePrefix: 'replace the remote prefix of',
  takeOwnership: 'take ownership of',
};

function describeMethod(method: JobMethod): string {
  return METHOD_VERBS[method];
}

/** Converts anything thrown into its error shape; unknown throwables become INTERNAL. */
export function toErrorShape(error: unknown): FerryErrorShape {
  if (error instanceof FerryError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', context: 'UNKNOWN', message: `Internal error: ${message}` };
}

/** Rebuilds a FerryError from its shape, e.g. on the client side of an RPC. */
export function fromErrorShape(shape: FerryErrorShape): FerryError {
  const { code, context, message, ...details } = shape;
  return new FerryError(code, context, message, details);
}

/** Whether a value is a FerryError with the given code (works across realms by duck typing). */
export function hasErrorCode(error: unknown, code: FerryErrorCode): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
