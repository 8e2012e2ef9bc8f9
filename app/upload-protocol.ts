/**
 * The wire vocabulary of the BITS upload protocol (docs/upload-protocol.md): the verb, packet
 * types, header names, the one protocol Ferry speaks, and the header formats both ends parse.
 *
 * Pure data and pure functions, shared by the engine's upload client and Ferry's upload server
 * (`ferry upload-server`), so that the two ends cannot disagree on a name or a format.
 */

/** Every packet is an HTTP/1.1 request with this verb. */
export const BITS_METHOD = 'BITS_POST';

/** The BITS 1.5 upload protocol, the only one Ferry offers and accepts. */
export const UPLOAD_PROTOCOL_ID = '{7df0354d-249b-430f-820d-3d2a9bef4931}';

/** Request packet types (BITS-Packet-Type); every answer is an `Ack`. */
export const PACKET_TYPES = [
  'Ping',
  'Create-Session',
  'Fragment',
  'Close-Session',
  'Cancel-Session',
] as const;

/** One request packet type. */
export type PacketType = (typeof PACKET_TYPES)[number];

/** The packet type of every response. */
export const ACK_PACKET = 'Ack';

/** Header names, lower-case as Node and undici hand them over. */
export const BITS_HEADER = {
  packetType: 'bits-packet-type',
  sessionId: 'bits-session-id',
  supportedProtocols: 'bits-supported-protocols',
  protocol: 'bits-protocol',
  receivedContentRange: 'bits-received-content-range',
  replyUrl: 'bits-reply-url',
  errorCode: 'bits-error-code',
  errorContext: 'bits-error-context',
  hostId: 'bits-host-id',
  contentName: 'content-name',
  contentRange: 'content-range',
} as const;

/** BITS-Error-Code values the two ends use (HRESULTs, as bitsmsg.h numbers them). */
export const BITS_ERROR = {
  /** The server does not know the session (it expired, or the server restarted). */
  sessionNotFound: 0x8020001f,
  /** The client offered no protocol the server speaks. */
  protocolMismatch: 0x80200022,
  /** A fragment that is not contiguous with what the server has. */
  invalidRange: 0x8020002b,
  /** Access denied (HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)). */
  accessDenied: 0x80070005,
  /** A request the server cannot parse (E_INVALIDARG). */
  invalidArgument: 0x80070057,
  /** The server failed to store the upload (E_FAIL). */
  failed: 0x80004005,
} as const;

/** BITS-Error-Context values: where on the server an error arose. */
export const BITS_ERROR_CONTEXT = { remoteFile: 0x5, remoteApplication: 0x7 } as const;

/** An HRESULT as it travels: `0x8020001F`. */
export function formatErrorCode(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * A BITS-Error-Code or BITS-Error-Context value: hexadecimal (`0x…`) or decimal, possibly
 * negative (a signed HRESULT); null when missing or malformed.
 */
export function parseErrorCode(value: string | undefined): number | null {
  const text = value?.trim() ?? '';
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^-?\d{1,10}$/.test(text)) {
    const n = Number(text);
    if (n >= -0x80000000 && n <= 0xffffffff) return n >>> 0;
  }
  return null;
}

/**
 * BITS-Received-Content-Range: the next offset the server expects, that is the count of bytes
 * it holds from 0. Null when missing or malformed.
 */
export function parseReceivedRange(value: string | undefined): number | null {
  const text = value?.trim() ?? '';
  if (!/^\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** A fragment's place in the file: bytes [start, end) of a file of `total` bytes. */
export interface FragmentRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly total: number;
}

/**
 * The Content-Range of a fragment: `bytes a-b/total` (b inclusive). An empty file has no byte
 * to name, so its one fragment says `bytes *\/0`, the form HTTP uses for a range with no bytes.
 */
export function formatFragmentRange(range: FragmentRange): string {
  if (range.end === range.start) return `bytes */${String(range.total)}`;
  return `bytes ${String(range.start)}-${String(range.end - 1)}/${String(range.total)}`;
}

/** A fragment's Content-Range as the server reads it, or null when it is not a valid one. */
export function parseFragmentRange(value: string | undefined): FragmentRange | null {
  const text = value?.trim() ?? '';
  const empty = /^bytes\s+\*\/0$/i.exec(text);
  if (empty !== null) return { start: 0, end: 0, total: 0 };
  const match = /^bytes\s+(\d{1,16})-(\d{1,16})\/(\d{1,16})$/i.exec(text);
  if (match === null) return null;
  const start = Number(match[1]);
  const last = Number(match[2]);
  const total = Number(match[3]);
  if (![start, last, total].every(Number.isSafeInteger)) return null;
  if (last < start || last >= total) return null;
  return { start, end: last + 1, total };
}

/** Session ids are GUIDs from Ferry's server, but any HTTP token of up to 100 characters is legal. */
export function isSessionId(value: string): boolean {
  return /^[\x21-\x7e]{1,100}$/.test(value);
}
