import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { networkError } from '../map-error.js';
import { headerValue } from '../http/range.js';
import { requestHeaders } from '../http/http-open.js';
import type { ConnectionLease, TransferLimits } from '../types.js';
import { ACK_PACKET, BITS_HEADER, BITS_METHOD } from '../../../../app/upload-protocol.js';
import type { PacketType } from '../../../../app/upload-protocol.js';
import { ackError, isSessionNotFound, protocolMismatchError } from './upload-errors.js';

/** What every packet of one upload shares: the connection source, identity and limits. */
export interface PacketContext {
  /** A connection (direct or through the job's proxy) from the engine's HTTP stack. */
  readonly connectionFor: (url: URL) => ConnectionLease;
  /** The job's custom header lines (sent on every packet, as BITS does). */
  readonly headers: readonly string[];
  readonly userAgent: string;
  readonly limits: TransferLimits;
  readonly signal: AbortSignal;
}

/** One packet to send. */
export interface PacketRequest {
  readonly url: URL;
  readonly type: PacketType;
  /** Packet headers as a flat name/value list. */
  readonly headers: readonly string[];
  /** The fragment's bytes, exactly `contentLength` of them; none for the other packets. */
  readonly body?: Readable;
  readonly contentLength?: number;
}

/** A usable Ack. */
export interface Ack {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  header(name: string): string | undefined;
}

/** What an Ack said: a usable answer, or "this session is unknown here". */
export type AckOutcome = { readonly kind: 'ack'; readonly ack: Ack } | { readonly kind: 'lost' };

/**
 * Statuses a web server that does not know BITS_POST answers with (Node's own server says 400
 * to any method outside its list). Other statuses without an Ack keep their meaning (401, 404,
 * 5xx...), since a proxy or the server's front may answer them before BITS is reached.
 */
const NOT_BITS_STATUSES = new Set([400, 405, 501]);

/**
 * Sends one BITS_POST packet and judges its Ack.
 *
 * Only one request is outstanding at a time (the protocol's rule), over one leased connection
 * that goes back for reuse when its answer was read to the end. A network failure is the
 * transfer layer's usual transient error; an error status or BITS-Error-Code an `ackError`
 * (4xx final, 5xx transient); an answer from a server that does not speak the protocol is
 * HTTP_PROTOCOL_MISMATCH (final). A session the server no longer knows is reported as `lost`,
 * since the caller can recover from it (a new session) and must not fail the job for it.
 * Redirects are not followed: BITS does not re-send a packet elsewhere.
 */
export async function sendPacket(ctx: PacketContext, packet: PacketRequest): Promise<AckOutcome> {
  const lease = ctx.connectionFor(packet.url);
  const headers = [
    ...requestHeaders({ headers: ctx.headers, userAgent: ctx.userAgent, validator: null }, 0, true),
    BITS_HEADER.packetType,
    packet.type,
    ...packet.headers,
    'content-length',
    String(packet.contentLength ?? 0),
  ];
  let res: Dispatcher.ResponseData;
  try {
    res = await request(packet.url, {
      method: BITS_METHOD,
      headers,
      body: packet.body ?? null,
      dispatcher: lease.dispatcher,
      signal: ctx.signal,
      headersTimeout: ctx.limits.headersTimeoutMs,
      bodyTimeout: ctx.limits.bodyIdleTimeoutMs,
    });
  } catch (error) {
    lease.release(false);
    packet.body?.destroy();
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw networkError(error, packet.url, { viaProxy: lease.viaProxy });
  }
  // Ack bodies are empty or a short text; read them away so the connection can be reused.
  const reusable = await res.body
    .dump({ limit: 64 * 1024 })
    .then(() => res.body.readableEnded && !res.body.errored)
    .catch(() => false);
  lease.release(reusable);
  return judgeAck(packet, res.statusCode, res.headers);
}

function judgeAck(packet: PacketRequest, status: number, headers: IncomingHttpHeaders): AckOutcome {
  if (isSessionNotFound(headers)) return { kind: 'lost' };
  const isAck = headerValue(headers, BITS_HEADER.packetType)?.trim().toLowerCase() === 'ack';
  if (!isAck && (NOT_BITS_STATUSES.has(status) || (status >= 200 && status < 300))) {
    throw protocolMismatchError(
      packet.url,
      `${packet.type} got HTTP ${String(status)} without a BITS ${ACK_PACKET}`,
      status,
    );
  }
  const failed = status >= 300 || headerValue(headers, BITS_HEADER.errorCode) !== undefined;
  // A 416 to a fragment is a usable answer: it says where the server really is.
  if (failed && !(status === 416 && packet.type === 'Fragment')) {
    throw ackError(packet.type, status, headers, packet.url);
  }
  return {
    kind: 'ack',
    ack: { status, headers, header: (name) => headerValue(headers, name)?.trim() },
  };
}
