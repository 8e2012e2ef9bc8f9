import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobDetails, RpcSocketHandlers, WebSocketClient } from '../../../app/index.js';
import { createWebSocketClient, hasErrorCode } from '../../../app/index.js';
import { job } from '../renderer/job-fixture.js';

/** A client on a socket the test drives: it sees what was sent and answers frames by hand. */
function connected(): {
  client: WebSocketClient;
  sent: unknown[];
  receive: (frame: unknown) => void;
} {
  const sent: unknown[] = [];
  let handlers: RpcSocketHandlers | undefined;
  const client = createWebSocketClient({
    url: 'ws://127.0.0.1:1/rpc',
    token: 't',
    reconnect: false,
    open: (_url, _protocols, h) => {
      handlers = h;
      return {
        send: (text) => sent.push(JSON.parse(text)),
        close: () => undefined,
      };
    },
  });
  handlers?.onOpen();
  return {
    client,
    sent,
    receive: (frame) => {
      handlers?.onMessage(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
  };
}

const DETAILS: JobDetails = { ...job(1), files: [], errors: [] };

/** The id the client gave its last invoke. */
function lastInvokeId(sent: readonly unknown[]): number {
  const last = sent.at(-1);
  assert.ok(typeof last === 'object' && last !== null && 'id' in last);
  assert.equal(typeof last.id, 'number');
  return Number(last.id);
}

describe('WebSocket client: what comes back is checked on receipt', () => {
  it('a result of the contract shape resolves to it', async () => {
    const { client, sent, receive } = connected();
    const result = client.invoke('job.get', { jobId: DETAILS.id });
    receive({ type: 'result', id: lastInvokeId(sent), result: { ok: true, value: DETAILS } });
    assert.deepEqual(await result, DETAILS);
    client.close();
  });

  it('a result of the wrong shape fails the command with RPC_PROTOCOL naming it and the field', async () => {
    const { client, sent, receive } = connected();
    const result = client.invoke('job.get', { jobId: DETAILS.id });
    const bad = { ...DETAILS, state: 'FINISHED' };
    receive({ type: 'result', id: lastInvokeId(sent), result: { ok: true, value: bad } });
    await assert.rejects(result, (error: unknown) => {
      assert.ok(hasErrorCode(error, 'RPC_PROTOCOL'));
      assert.match(String(error), /answered job\.get .*state/);
      return true;
    });
    client.close();
  });

  it('an error result keeps its code and fields', async () => {
    const { client, sent, receive } = connected();
    const result = client.invoke('job.resume', { jobId: DETAILS.id });
    const error = {
      code: 'JOB_INVALID_STATE',
      context: 'GENERAL_QUEUE_MANAGER',
      message: 'Cannot resume',
      method: 'resume',
      state: 'ACKNOWLEDGED',
    };
    receive({ type: 'result', id: lastInvokeId(sent), result: { ok: false, error } });
    await assert.rejects(result, (thrown: unknown) => {
      assert.ok(hasErrorCode(thrown, 'JOB_INVALID_STATE'));
      assert.ok(thrown instanceof Error && 'state' in thrown && thrown.state === 'ACKNOWLEDGED');
      return true;
    });
    client.close();
  });

  it('frames that are not server messages are dropped, and the command still gets its answer', async () => {
    const { client, sent, receive } = connected();
    const result = client.invoke('jobs.clearHistory', {});
    const id = lastInvokeId(sent);
    receive('not json');
    receive({ type: 'result', id }); // no result
    receive({ type: 'result', id, result: { ok: false, error: { code: 'NOT_A_CODE' } } });
    receive({ type: 'gossip', id });
    receive({ type: 'result', id, result: { ok: true, value: { removed: 2 } } });
    assert.deepEqual(await result, { removed: 2 });
    client.close();
  });

  it('an event whose payload does not fit is not delivered; one that fits is', () => {
    const { client, receive } = connected();
    const seen: unknown[] = [];
    client.on('jobRemoved', (payload) => seen.push(payload));
    receive({ type: 'event', event: 'jobRemoved', payload: { revision: 3, jobId: 'nope' } });
    receive({ type: 'event', event: 'jobRemoved', payload: { revision: 4 } });
    receive({ type: 'event', event: 'jobRemoved', payload: { revision: 5, jobId: DETAILS.id } });
    assert.deepEqual(seen, [{ revision: 5, jobId: DETAILS.id }]);
    client.close();
  });
});
