// The native host's relay: native messages from the extension become browser.* commands with
// the identity the browser gave, never one the extension claims; replies and pairing news go
// back as native messages; a broken stream ends the host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { ExtensionRef, HostMessage } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost, createLocalClient } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { NativeMessageDecoder, encodeNativeMessage } from '../../main/native-host/framing.js';
import { runRelay } from '../../main/native-host/relay.js';
import { makeTempDir, startEngine } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const CALLER: ExtensionRef = {
  browser: 'chromium',
  extensionId: 'bnkancopcdgnnfppgbepbplhmbojaieo',
};

let dir: TempDir;
let engine: Engine;
let host: EngineHost;

before(() => {
  dir = makeTempDir();
  engine = startEngine(dir);
  engine.setAppSettings({ downloadFolder: dir.file('downloads') });
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test' });
});

after(async () => {
  host.close();
  await engine.close();
  dir.cleanup();
});

/** A relay on in-memory pipes, and a reader of what it writes to the extension. */
function startRelay(caller: ExtensionRef = CALLER, ferry = () => createLocalClient(host)) {
  const input = new PassThrough();
  const output = new PassThrough();
  const decoder = new NativeMessageDecoder(2 * 1024 * 1024);
  const received: HostMessage[] = [];
  const waiters: (() => void)[] = [];
  output.on('data', (chunk: Buffer) => {
    received.push(...(decoder.push(chunk) as HostMessage[]));
    for (const wake of waiters.splice(0)) wake();
  });
  const exit = runRelay({
    input,
    output,
    caller,
    connect: () => Promise.resolve().then(ferry),
  });
  /** The first message matching `test`, waiting for it. */
  const next = async (test: (m: HostMessage) => boolean): Promise<HostMessage> => {
    for (;;) {
      const found = received.find(test);
      if (found !== undefined) {
        received.splice(received.indexOf(found), 1);
        return found;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const reply = (id: number) => next((m) => m.type === 'reply' && m.id === id);
  const send = (message: unknown) => input.write(encodeNativeMessage(message));
  return { input, send, reply, next, exit };
}

describe('native host relay', () => {
  it('asks for pairing on hello, tells the extension when the user allows it, then relays', async () => {
    const relay = startRelay();
    relay.send({ type: 'request', id: 1, request: { kind: 'hello', label: 'Ferry for Chromium' } });
    assert.deepEqual(await relay.reply(1), {
      type: 'reply',
      id: 1,
      ok: true,
      value: { status: 'pending' },
    });

    relay.send({ type: 'request', id: 2, request: { kind: 'recent' } });
    const refused = await relay.reply(2);
    assert.equal(
      refused.type === 'reply' && !refused.ok ? refused.error.code : null,
      'RPC_NOT_PAIRED',
    );

    const answer = await host.invoke('browser.decide', { extension: CALLER, allow: true });
    assert.ok(answer.ok);
    assert.deepEqual(await relay.next((m) => m.type === 'pairing'), {
      type: 'pairing',
      status: 'paired',
    });

    relay.send({ type: 'request', id: 3, request: { kind: 'recent', limit: 3 } });
    assert.deepEqual(await relay.reply(3), {
      type: 'reply',
      id: 3,
      ok: true,
      value: { downloads: [] },
    });

    await host.invoke('browser.revoke', { extension: CALLER });
    assert.deepEqual(await relay.next((m) => m.type === 'pairing'), {
      type: 'pairing',
      status: 'denied',
    });

    relay.input.end();
    assert.equal(await relay.exit, 0);
  });

  it('answers a malformed request with INPUT_INVALID and keeps going; cannot be told another identity', async () => {
    const relay = startRelay();
    relay.send({
      type: 'request',
      id: 7,
      request: { kind: 'handOff', items: [{ url: 'file:///etc/passwd' }] },
    });
    const bad = await relay.reply(7);
    assert.equal(bad.type === 'reply' && !bad.ok ? bad.error.code : null, 'INPUT_INVALID');

    relay.send({
      type: 'request',
      id: 8,
      request: {
        kind: 'hello',
        label: 'x',
        extension: { browser: 'firefox', extensionId: 'a@b.c' },
      },
    });
    const claimed = await relay.reply(8);
    assert.equal(
      claimed.type === 'reply' && !claimed.ok ? claimed.error.code : null,
      'INPUT_INVALID',
    );

    relay.send({ type: 'request', id: 9, request: { kind: 'hello', label: 'Ferry' } });
    assert.equal((await relay.reply(9)).type, 'reply');
    relay.input.end();
    assert.equal(await relay.exit, 0);
  });

  it('ends when Ferry goes away, and tries again after a failed start', async () => {
    const ferry = createLocalClient(host);
    const relay = startRelay(CALLER, () => ferry);
    relay.send({ type: 'request', id: 1, request: { kind: 'hello', label: 'Ferry' } });
    await relay.reply(1);
    ferry.disconnect();
    const gone = await relay.next((m) => m.type === 'fatal');
    assert.equal(gone.type === 'fatal' ? gone.error.code : null, 'RPC_DISCONNECTED');
    assert.equal(await relay.exit, 1);

    let attempts = 0;
    const flaky = startRelay(CALLER, () => {
      attempts++;
      if (attempts === 1) throw new Error('cannot start Ferry');
      return createLocalClient(host);
    });
    flaky.send({ type: 'request', id: 1, request: { kind: 'hello', label: 'Ferry' } });
    const failed = await flaky.reply(1);
    assert.equal(failed.type === 'reply' && failed.ok, false);
    flaky.send({ type: 'request', id: 2, request: { kind: 'hello', label: 'Ferry' } });
    const second = await flaky.reply(2);
    assert.equal(second.type === 'reply' && second.ok, true, 'the second request reached Ferry');
    flaky.input.end();
    assert.equal(await flaky.exit, 0);
  });

  it('ends with a fatal message on a frame it cannot trust', async () => {
    const relay = startRelay();
    relay.send({ no: 'id' });
    const fatal = await relay.next((m) => m.type === 'fatal');
    assert.equal(fatal.type === 'fatal' ? fatal.error.code : null, 'INPUT_INVALID');
    assert.equal(await relay.exit, 1);

    const huge = startRelay();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(64 * 1024 * 1024);
    huge.input.write(header);
    const tooBig = await huge.next((m) => m.type === 'fatal');
    assert.equal(tooBig.type === 'fatal' ? tooBig.error.code : null, 'RPC_PROTOCOL');
    assert.equal(await huge.exit, 1);
  });
});
