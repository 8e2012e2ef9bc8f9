import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/**
 * A small HTTP/1.1 server side for one connection, for the upload server.
 *
 * Node's own HTTP server refuses every method outside its fixed list with a 400, and the BITS
 * upload protocol's verb is BITS_POST, so this reads requests itself. It accepts only what the
 * protocol and its replies need: a request line, headers (16 KiB at most), a body delimited by
 * Content-Length (Transfer-Encoding is refused, as are conflicting lengths, which keeps the
 * framing unambiguous), `Expect: 100-continue`, keep-alive and `Connection: close`.
 */

/** One request; the handler must read `body` to its end or call `drain()`. */
export interface Http1Request {
  readonly method: string;
  readonly target: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  readonly contentLength: number;
  /** The body's bytes, exactly `contentLength` of them, as they arrive. */
  readonly body: AsyncIterable<Buffer>;
  /** Reads away whatever of the body is left. */
  drain(): Promise<void>;
  /** Cuts the connection at once, without an answer (a test fault). */
  destroy(): void;
}

/** An answer; Content-Length is set from the body. */
export interface Http1Response {
  readonly status: number;
  readonly headers?: readonly (readonly [string, string])[];
  /** A small body, or a stream of exactly `length` bytes. */
  readonly body?: Buffer | { readonly stream: Readable; readonly length: number };
}

/** Handles one request. Throwing answers 500 and closes the connection. */
export type Http1Handler = (req: Http1Request) => Promise<Http1Response>;

const MAX_HEAD_BYTES = 16 * 1024;
const IDLE_TIMEOUT_MS = 120_000;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Reason phrases for the statuses the upload server uses. */
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  411: 'Length Required',
  413: 'Content Too Large',
  416: 'Range Not Satisfiable',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** A malformed request: answered with `status`, then the connection is closed. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Serves requests on one socket until it closes; never rejects. */
export async function serveConnection(socket: Socket, handle: Http1Handler): Promise<void> {
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
  socket.setNoDelay(true);
  const reader = new SocketReader(socket);
  try {
    for (;;) {
      const head = await reader.readHead();
      if (head === null) return;
      let parsed: ParsedHead;
      try {
        parsed = parseHead(head);
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
        await writeResponse(socket, { status: error.status }, true);
        return;
      }
      if (parsed.headers.get('expect')?.toLowerCase() === '100-continue') {
        await write(socket, Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'));
      }
      const request = reader.request(parsed, socket);
      let response: Http1Response;
      try {
        response = await handle(request);
      } catch {
        await writeResponse(socket, { status: 500 }, true);
        return;
      }
      if (socket.destroyed) return;
      await request.drain();
      await writeResponse(socket, response, parsed.close);
      if (parsed.close) return;
    }
  } catch {
    // A reset or half-read connection: nothing to answer.
  } finally {
    if (!socket.destroyed) socket.destroy();
  }
}

interface ParsedHead {
  readonly method: string;
  readonly target: string;
  readonly headers: Map<string, string>;
  readonly contentLength: number;
  readonly close: boolean;
}

function parseHead(head: string): ParsedHead {
  const lines = head.split('\r\n');
  const [method = '', target = '', version = '', extra] = (lines[0] ?? '').split(' ');
  if (extra !== undefined || !TOKEN.test(method) || !target.startsWith('/')) {
    throw new BadRequest(400, 'bad request line');
  }
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') throw new BadRequest(400, 'bad version');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    if (colon <= 0 || !TOKEN.test(name)) throw new BadRequest(400, 'bad header line');
    const value = line.slice(colon + 1).trim();
    if (hasControl(value)) throw new BadRequest(400, 'control character');
    const prior = headers.get(name);
    headers.set(name, prior === undefined ? value : `${prior}, ${value}`);
  }
  if (headers.has('transfer-encoding')) throw new BadRequest(501, 'no transfer codings');
  const length = headers.get('content-length') ?? '0';
  if (!/^\d{1,15}$/.test(length)) throw new BadRequest(400, 'bad Content-Length');
  const connection = headers.get('connection')?.toLowerCase() ?? '';
  const close =
    version === 'HTTP/1.0' ? !connection.includes('keep-alive') : connection.includes('close');
  return { method, target, headers, contentLength: Number(length), close };
}

/** Whether a header value holds a control character other than tab. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Buffers a socket's bytes for the head and hands the body on as it arrives. */
class SocketReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private leftover: Buffer = Buffer.alloc(0);

  constructor(socket: Socket) {
    this.chunks = (socket as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** The next request head (without the blank line), or null at a clean end of stream. */
  async readHead(): Promise<string | null> {
    for (;;) {
      const end = this.leftover.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = this.leftover.subarray(0, end).toString('latin1');
        this.leftover = this.leftover.subarray(end + 4);
        return head;
      }
      if (this.leftover.length > MAX_HEAD_BYTES) throw new BadRequest(431, 'head too large');
      const next = await this.chunks.next();
      if (next.done === true) {
        if (this.leftover.length === 0) return null;
        throw new BadRequest(400, 'truncated head');
      }
      this.leftover = Buffer.concat([this.leftover, next.value]);
    }
  }

  request(head: ParsedHead, socket: Socket): Http1Request {
    let left = head.contentLength;
    const take = async (): Promise<Buffer | null> => {
      if (left === 0) return null;
      if (this.leftover.length === 0) {
        const next = await this.chunks.next();
        if (next.done === true) throw new Error('connection closed inside a body');
        this.leftover = next.value;
      }
      const chunk = this.leftover.subarray(0, Math.min(left, this.leftover.length));
      this.leftover = this.leftover.subarray(chunk.length);
      left -= chunk.length;
      return chunk;
    };
    return {
      method: head.method,
      target: head.target,
      headers: head.headers,
      contentLength: head.contentLength,
      body: {
        async *[Symbol.asyncIterator]() {
          for (let chunk = await take(); chunk !== null; chunk = await take()) yield chunk;
        },
      },
      drain: async () => {
        while ((await take()) !== null);
      },
      destroy: () => socket.destroy(),
    };
  }
}

async function writeResponse(socket: Socket, res: Http1Response, close: boolean): Promise<void> {
  if (socket.destroyed) return;
  const body = res.body;
  const length = body === undefined ? 0 : Buffer.isBuffer(body) ? body.length : body.length;
  const lines = [`HTTP/1.1 ${String(res.status)} ${REASONS[res.status] ?? 'Unknown'}`];
  for (const [name, value] of res.headers ?? []) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${String(length)}`);
  if (close) lines.push('Connection: close');
  await write(socket, Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
  if (body !== undefined && Buffer.isBuffer(body)) await write(socket, body);
  else if (body !== undefined) {
    for await (const chunk of body.stream as AsyncIterable<Buffer>) await write(socket, chunk);
  }
}

/** Writes and waits for the socket to take more (back-pressure). */
async function write(socket: Socket, data: Buffer): Promise<void> {
  if (socket.write(data)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => {
      done();
    };
    const onClose = (): void => {
      done(new Error('connection closed while writing'));
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}
