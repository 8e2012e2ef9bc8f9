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
import { answerChallenge } from '../auth/authenticator.js';
import type { SentAuth, TransferAuth } from '../auth/authenticator.js';
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
  /** The job's credentials (SetCredentials), answering a 401, or a forwarding proxy's 407. */
  readonly auth?: TransferAuth;
}

/** One packet to send. */
export interface PacketRequest {
  readonly url: URL;
  readonly type: PacketType;
  /** Packet headers as a flat name/value list. */
  readonly headers: readonly string[];
  /**
   * The fragment's bytes, exactly `contentLength` of them, as a new stream each time the packet
   * is sent (a challenge answered sends it again); none for the other packets.
   */
  readonly body?: () => Readable;
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
  // Server credentials go only to the host the packet names (a farm's BITS-Host-Id included,
  // which the server itself chose), as for downloads.
  const trustedHost = packet.url.hostname;
  for (let round = 0; ; round++) {
    const lease = ctx.connectionFor(packet.url);
    const headers = [
      ...ownHeadersLeftOut(
        requestHeaders(
          { headers: ctx.headers, userAgent: ctx.userAgent, validator: null },
          0,
          true,
        ),
      ),
      BITS_HEADER.packetType,
      packet.type,
      ...packet.headers,
      'content-length',
      String(packet.contentLength ?? 0),
    ];
    const sent = addPacketAuth(headers, ctx.auth, packet.url, lease.viaProxy);
    const body = packet.body?.() ?? null;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(packet.url, {
        method: BITS_METHOD,
        headers,
        body,
        dispatcher: lease.dispatcher,
        signal: ctx.signal,
        headersTimeout: ctx.limits.headersTimeoutMs,
        bodyTimeout: ctx.limits.bodyIdleTimeoutMs,
      });
    } catch (error) {
      lease.release(false);
      body?.destroy();
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw networkError(error, packet.url, { viaProxy: lease.viaProxy });
    }
    // Ack bodies are empty or a short text; read them away so the connection can be reused.
    const reusable = await res.body
      .dump({ limit: 64 * 1024 })
      .then(() => res.body.readableEnded && !res.body.errored)
      .catch(() => false);
    lease.release(reusable);
    const status = res.statusCode;
    // A challenge: answered with the job's credentials and sent again (once per target), or
    // the error that says which credentials are missing or were rejected.
    if (
      (status === 401 || status === 407) &&
      round < MAX_AUTH_ROUNDS &&
      answerChallenge(ctx.auth, status, packet.url, res.headers, sent, trustedHost)
    ) {
      continue;
    }
    return judgeAck(packet, status, res.headers);
  }
}

/** Challenges answered per packet: a server's, then its proxy's. */
const MAX_AUTH_ROUNDS = 2;

/** The answers already known for the packet's URL (see addAuthHeaders, for BITS_POST). */
function addPacketAuth(
  headers: string[],
  auth: TransferAuth | undefined,
  url: URL,
  viaProxy: boolean,
): SentAuth {
  if (auth === undefined) return { server: null, proxy: null };
  const server = auth.server.authorization(BITS_METHOD, url);
  const proxy =
    viaProxy && url.protocol === 'http:' ? auth.proxy.authorization(BITS_METHOD, url) : null;
  if (server !== null) headers.push('authorization', server);
  if (proxy !== null) headers.push('proxy-authorization', proxy);
  return { server, proxy };
}

/** Headers the protocol sets itself; a job's custom line of the same name is left out. */
const PROTOCOL_HEADERS = new Set<string>([
  ...Object.values(BITS_HEADER),
  'content-type',
  'content-encoding',
]);

/** The job's header pairs (name, value, name, value, ...) without the protocol's own names. */
function ownHeadersLeftOut(pairs: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const name = pairs[i] ?? '';
    if (PROTOCOL_HEADERS.has(name.toLowerCase())) continue;
    out.push(name, pairs[i + 1] ?? '');
  }
  return out;
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
