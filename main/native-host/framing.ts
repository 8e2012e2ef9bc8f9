import { endianness } from 'node:os';
import { FerryError, NATIVE_MESSAGE_MAX_BYTES } from '../../app/index.js';

/**
 * Native messaging's framing: each message is UTF-8 JSON preceded by its length in bytes as
 * a 32-bit unsigned integer in the machine's native byte order (Chrome's and Firefox's
 * native messaging documentation). Both directions use it over the host's stdin and stdout.
 *
 * The browser kills a host whose message to it is over 1 MiB, so the encoder refuses those
 * instead of writing them; the decoder refuses frames above its own limit before buffering
 * them, so a bad length cannot make the host allocate gigabytes.
 */

/** Bytes of the length prefix. */
export const FRAME_HEADER_BYTES = 4;

/** Byte order of the length prefix: the machine's own, as the browser writes it. */
export type ByteOrder = 'LE' | 'BE';

/** The machine's byte order. */
export const NATIVE_BYTE_ORDER: ByteOrder = endianness();

/** Encodes one message; throws RPC_PROTOCOL when it is over `maxBytes` (default 1 MiB). */
export function encodeNativeMessage(
  message: unknown,
  maxBytes: number = NATIVE_MESSAGE_MAX_BYTES,
  order: ByteOrder = NATIVE_BYTE_ORDER,
): Buffer {
  const json = JSON.stringify(message);
  const body = Buffer.from(json, 'utf8');
  if (body.length > maxBytes) {
    throw new FerryError(
      'RPC_PROTOCOL',
      'GENERAL_QUEUE_MANAGER',
      `A native message of ${body.length} bytes is over the browser's limit of ${maxBytes} bytes`,
    );
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  if (order === 'LE') frame.writeUInt32LE(body.length, 0);
  else frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Splits a byte stream into messages: push chunks as they come, get every complete message.
 *
 * Throws RPC_PROTOCOL for a frame over `maxBytes` or one that is not JSON; the stream cannot
 * be trusted after that, so the caller stops reading.
 */
export class NativeMessageDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly order: ByteOrder = NATIVE_BYTE_ORDER,
  ) {}

  /** Bytes received but not yet part of a complete message (a frame cut mid-way). */
  get pendingBytes(): number {
    return this.buffered.length;
  }

  /** Adds bytes; returns the messages they complete, in order. */
  push(chunk: Buffer): unknown[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: unknown[] = [];
    while (this.buffered.length >= FRAME_HEADER_BYTES) {
      const length =
        this.order === 'LE' ? this.buffered.readUInt32LE(0) : this.buffered.readUInt32BE(0);
      if (length > this.maxBytes) {
        throw new FerryError(
          'RPC_PROTOCOL',
          'GENERAL_QUEUE_MANAGER',
          `A native message announces ${length} bytes, over the host's limit of ${this.maxBytes}`,
        );
      }
      if (this.buffered.length < FRAME_HEADER_BYTES + length) break;
      const body = this.buffered.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length);
      this.buffered = this.buffered.subarray(FRAME_HEADER_BYTES + length);
      messages.push(parseJson(body));
    }
    return messages;
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new FerryError(
      'RPC_PROTOCOL',
      'GENERAL_QUEUE_MANAGER',
      `A native message of ${body.length} bytes is not valid JSON`,
    );
  }
}
