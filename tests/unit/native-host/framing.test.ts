// Native messaging framing: a 32-bit length in the machine's byte order, then UTF-8 JSON;
// the browser kills a host whose message to it is over 1 MiB.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NATIVE_MESSAGE_MAX_BYTES } from '../../../app/index.js';
import {
  FRAME_HEADER_BYTES,
  NATIVE_BYTE_ORDER,
  NativeMessageDecoder,
  encodeNativeMessage,
} from '../../../main/native-host/framing.js';

describe('encodeNativeMessage', () => {
  it('prefixes the UTF-8 length in native byte order', () => {
    const frame = encodeNativeMessage({ name: 'été' });
    const body = Buffer.from(JSON.stringify({ name: 'été' }), 'utf8');
    const length = NATIVE_BYTE_ORDER === 'LE' ? frame.readUInt32LE(0) : frame.readUInt32BE(0);
    assert.equal(length, body.length, 'bytes, not characters');
    assert.deepEqual(frame.subarray(FRAME_HEADER_BYTES), body);
  });

  it('writes big-endian when asked', () => {
    const frame = encodeNativeMessage('x', 100, 'BE');
    assert.deepEqual([...frame.subarray(0, 4)], [0, 0, 0, 3]);
  });

  it('refuses a message over 1 MiB instead of writing it', () => {
    const fits = 'a'.repeat(NATIVE_MESSAGE_MAX_BYTES - 2);
    assert.equal(encodeNativeMessage(fits).length, FRAME_HEADER_BYTES + NATIVE_MESSAGE_MAX_BYTES);
    assert.throws(
      () => encodeNativeMessage(`${fits}b`),
      (error: { code?: string; message?: string }) =>
        error.code === 'RPC_PROTOCOL' && /1048577 bytes is over/.test(error.message ?? ''),
    );
  });
});

describe('NativeMessageDecoder', () => {
  it('reassembles frames split anywhere and several in one chunk', () => {
    const bytes = Buffer.concat([
      encodeNativeMessage({ id: 1 }),
      encodeNativeMessage({ id: 2, text: 'ü'.repeat(300) }),
      encodeNativeMessage([3]),
    ]);
    for (let cut = 1; cut < bytes.length; cut += 37) {
      const decoder = new NativeMessageDecoder(4096);
      const got = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      assert.deepEqual(got, [{ id: 1 }, { id: 2, text: 'ü'.repeat(300) }, [3]], `cut at ${cut}`);
      assert.equal(decoder.pendingBytes, 0);
    }
  });

  it('keeps a partial frame until the rest comes', () => {
    const decoder = new NativeMessageDecoder(100);
    const frame = encodeNativeMessage({ a: 1 });
    assert.deepEqual(decoder.push(frame.subarray(0, 2)), []);
    assert.deepEqual(decoder.push(frame.subarray(2, 6)), []);
    assert.equal(decoder.pendingBytes, 6);
    assert.deepEqual(decoder.push(frame.subarray(6)), [{ a: 1 }]);
  });

  it('refuses a frame over its limit from the header alone, before buffering the body', () => {
    const decoder = new NativeMessageDecoder(16);
    const header = Buffer.alloc(4);
    if (NATIVE_BYTE_ORDER === 'LE') header.writeUInt32LE(0xffffffff);
    else header.writeUInt32BE(0xffffffff);
    assert.throws(() => decoder.push(header), /4294967295 bytes, over the host's limit of 16/);
  });

  it('refuses a frame that is not JSON', () => {
    const decoder = new NativeMessageDecoder(100, 'LE');
    const body = Buffer.from('{nope', 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length);
    assert.throws(
      () => decoder.push(Buffer.concat([header, body])),
      (error: { code?: string }) => error.code === 'RPC_PROTOCOL',
    );
  });
});
