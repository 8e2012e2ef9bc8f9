import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMAND_NAMES, EVENT_NAMES, FerryError, hasErrorCode } from '../../../app/index.js';
import type { CommandName, EventPayloads } from '../../../app/index.js';
import type {
  IpcInvokeRequest,
  IpcSubscribeRequest,
  ShellRequest,
} from '../../../app/ipc-channels.js';
import {
  ALLOWED_COMMANDS,
  ALLOWED_EVENTS,
  createFerryBridge,
  toCrossableError,
} from '../../../main/electron/bridge-client.js';
import type { BridgePort } from '../../../main/electron/bridge-client.js';
import { jobInfo } from './job-fixture.js';

/** A port that records what the client sends and lets the test play main's side. */
function loopbackPort(
  answer: (request: IpcInvokeRequest) => unknown = () => ({ ok: true, value: 1 }),
) {
  const invoked: IpcInvokeRequest[] = [];
  const subscriptions: IpcSubscribeRequest[] = [];
  let emitEvent: (message: unknown) => void = () => undefined;
  let emitShell: (message: unknown) => void = () => undefined;
  const port: BridgePort = {
    invoke(request) {
      invoked.push(request);
      return Promise.resolve(answer(request));
    },
    subscribe(request) {
      subscriptions.push(request);
    },
    onEvent(listener) {
      emitEvent = listener;
    },
    onShell(listener) {
      emitShell = listener;
    },
  };
  return {
    port,
    invoked,
    subscriptions,
    emitEvent: (message: unknown) => {
      emitEvent(message);
    },
    emitShell: (message: unknown) => {
      emitShell(message);
    },
  };
}

const transferred = (revision: number): EventPayloads['jobTransferred'] => ({
  revision,
  job: jobInfo(1, 'TRANSFERRED'),
});

describe('preload allowlists', () => {
  it('hold exactly the contract’s command and event names', () => {
    assert.deepEqual([...ALLOWED_COMMANDS].sort(), [...COMMAND_NAMES].sort());
    assert.deepEqual([...ALLOWED_EVENTS].sort(), [...EVENT_NAMES].sort());
  });
});

describe('createFerryBridge: invoke', () => {
  it('sends the command and input, and resolves to the envelope value', async () => {
    // browser.integrationStatus has no result schema in result-schemas.ts, so any value
    // passes as it is.
    const loop = loopbackPort(() => ({ ok: true, value: { version: '1' } }));
    const ferry = createFerryBridge(loop.port);
    const value = await ferry.invoke('browser.integrationStatus', {});
    assert.deepEqual(value, { version: '1' });
    assert.deepEqual(loop.invoked, [{ command: 'browser.integrationStatus', input: {} }]);
  });

  it('checks a result against its command schema: the wrong shape is RPC_PROTOCOL', async () => {
    const loop = loopbackPort(() => ({ ok: true, value: { removed: 'two' } }));
    const ferry = createFerryBridge(loop.port);
    await assert.rejects(ferry.invoke('jobs.clearHistory', {}), (error: unknown) => {
      assert.ok(error instanceof FerryError);
      assert.equal(error.code, 'RPC_PROTOCOL');
      assert.match(error.message, /jobs\.clearHistory.*removed/);
      return true;
    });
  });

  it('rethrows an error envelope as a FerryError with every field', async () => {
    const loop = loopbackPort(() => ({
      ok: false,
      error: {
        code: 'JOB_INVALID_STATE',
        context: 'GENERAL_QUEUE_MANAGER',
        message: "Cannot resume job 'x' in state ACKNOWLEDGED",
        method: 'resume',
        state: 'ACKNOWLEDGED',
      },
    }));
    const ferry = createFerryBridge(loop.port);
    await assert.rejects(ferry.invoke('job.resume', { jobId: 'x' }), (error: unknown) => {
      assert.ok(error instanceof FerryError);
      assert.equal(error.code, 'JOB_INVALID_STATE');
      assert.equal(error.state, 'ACKNOWLEDGED');
      assert.equal(error.method, 'resume');
      return true;
    });
  });

  it('refuses an unknown command without any IPC', async () => {
    const loop = loopbackPort();
    const ferry = createFerryBridge(loop.port);
    await assert.rejects(ferry.invoke('job.format-disk' as CommandName, {}), (error: unknown) =>
      hasErrorCode(error, 'RPC_UNKNOWN_COMMAND'),
    );
    await assert.rejects(ferry.invoke('toString' as CommandName, {}), (error: unknown) =>
      hasErrorCode(error, 'RPC_UNKNOWN_COMMAND'),
    );
    assert.equal(loop.invoked.length, 0);
  });

  it('reports a malformed envelope as RPC_PROTOCOL', async () => {
    const ferry = createFerryBridge(loopbackPort(() => 'nonsense').port);
    await assert.rejects(ferry.invoke('engine.info', {}), (error: unknown) =>
      hasErrorCode(error, 'RPC_PROTOCOL'),
    );
  });
});

describe('createFerryBridge: events', () => {
  it('subscribes main to exactly the events with listeners, and unsubscribes', () => {
    const loop = loopbackPort();
    const ferry = createFerryBridge(loop.port);
    const seen: number[] = [];
    const off = ferry.on('jobTransferred', (payload) => seen.push(payload.revision));
    const offError = ferry.on('jobError', () => undefined);
    loop.emitEvent({ event: 'jobTransferred', payload: transferred(7) });
    loop.emitEvent({ event: 'jobAdded', payload: transferred(8) });
    off();
    off();
    loop.emitEvent({ event: 'jobTransferred', payload: transferred(9) });
    offError();
    assert.deepEqual(seen, [7]);
    assert.deepEqual(
      loop.subscriptions.map((s) => s.events),
      [['jobTransferred'], ['jobTransferred', 'jobError'], ['jobError'], []],
    );
  });

  it('gives two subscriptions of one function two deliveries and two unsubscribes', () => {
    const loop = loopbackPort();
    const ferry = createFerryBridge(loop.port);
    let calls = 0;
    const listener = (): void => {
      calls++;
    };
    const offA = ferry.on('jobsChanged', listener);
    ferry.on('jobsChanged', listener);
    loop.emitEvent({
      event: 'jobsChanged',
      payload: { revision: 1, changed: [], added: [], removed: [] },
    });
    offA();
    loop.emitEvent({
      event: 'jobsChanged',
      payload: { revision: 2, changed: [], added: [], removed: [] },
    });
    assert.equal(calls, 3);
    // Still subscribed after one unsubscribe: no second message was needed.
    assert.deepEqual(
      loop.subscriptions.map((s) => s.events),
      [['jobsChanged']],
    );
  });

  it('refuses an unknown event name and drops malformed messages', () => {
    const loop = loopbackPort();
    const ferry = createFerryBridge(loop.port);
    assert.throws(
      () => ferry.on('__proto__' as 'jobAdded', () => undefined),
      (error: unknown) => hasErrorCode(error, 'RPC_PROTOCOL'),
    );
    let calls = 0;
    ferry.on('jobAdded', () => calls++);
    loop.emitEvent(null);
    loop.emitEvent({ event: 'nope', payload: {} });
    loop.emitEvent('jobAdded');
    assert.equal(calls, 0);
    assert.equal(loop.subscriptions.length, 1);
  });

  it('reports the IPC link as open at once', () => {
    const ferry = createFerryBridge(loopbackPort().port);
    const states: string[] = [];
    const off = ferry.onConnection((state) => states.push(state));
    off();
    assert.deepEqual(states, ['open']);
  });
});

describe('createFerryBridge: shell requests', () => {
  it('asks for shell requests while someone listens, and delivers valid ones', () => {
    const loop = loopbackPort();
    const ferry = createFerryBridge(loop.port);
    const seen: ShellRequest[] = [];
    const off = ferry.onShellRequest((request) => seen.push(request));
    loop.emitShell({ kind: 'addUrls', urls: ['https://example.org/a'] });
    loop.emitShell({ kind: 'addUrls', urls: [1] });
    loop.emitShell({ kind: 'format' });
    off();
    assert.deepEqual(seen, [{ kind: 'addUrls', urls: ['https://example.org/a'] }]);
    assert.deepEqual(
      loop.subscriptions.map((s) => s.shell),
      [true, false],
    );
  });
});

describe('toCrossableError', () => {
  it('turns a FerryError into its plain shape, code and fields kept', () => {
    const shape = toCrossableError(
      new FerryError('HTTP_NOT_FOUND', 'REMOTE_FILE', 'Not found', { httpStatus: 404 }),
    );
    assert.equal(Object.getPrototypeOf(shape), Object.prototype);
    assert.deepEqual(shape, {
      name: 'FerryError',
      code: 'HTTP_NOT_FOUND',
      context: 'REMOTE_FILE',
      message: 'Not found',
      httpStatus: 404,
    });
  });

  it('turns anything else into INTERNAL', () => {
    assert.equal(toCrossableError(new Error('boom')).code, 'INTERNAL');
    assert.match(toCrossableError('boom').message, /boom/);
  });
});
