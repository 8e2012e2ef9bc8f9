/**
 * Error contexts, named as BITS' `BG_ERROR_CONTEXT` with the same numeric order.
 *
 * The context says where an error came from: the local file, the remote file, the transport,
 * and so on. Values: NONE = 0 … SERVER_CERTIFICATE_CALLBACK = 8.
 */
export const ERROR_CONTEXTS = [
  'NONE',
  'UNKNOWN',
  'GENERAL_QUEUE_MANAGER',
  'QUEUE_MANAGER_NOTIFICATION',
  'LOCAL_FILE',
  'REMOTE_FILE',
  'GENERAL_TRANSPORT',
  'REMOTE_APPLICATION',
  'SERVER_CERTIFICATE_CALLBACK',
] as const;

/** One of the BITS error contexts. */
export type ErrorContext = (typeof ERROR_CONTEXTS)[number];
