import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readInvokeRequest, readSubscribeRequest } from '../../../main/electron/ipc-messages.js';

describe('readInvokeRequest', () => {
  it('reads a known command and passes its input through unparsed', () => {
    const input = { jobId: 'not checked here' };
    assert.deepEqual(readInvokeRequest({ command: 'job.resume', input }), {
      command: 'job.resume',
      input,
    });
  });

  it('refuses unknown commands and malformed messages', () => {
    for (const message of [
      null,
      'job.resume',
      [],
      { command: 'job.nuke', input: {} },
      { command: 'constructor' },
      { input: {} },
    ]) {
      assert.equal(readInvokeRequest(message), null, JSON.stringify(message));
    }
  });
});

describe('readSubscribeRequest', () => {
  it('reads event names, once each', () => {
    assert.deepEqual(
      readSubscribeRequest({ events: ['jobsChanged', 'jobError', 'jobsChanged'], shell: true }),
      { events: ['jobsChanged', 'jobError'], shell: true },
    );
    assert.deepEqual(readSubscribeRequest({ events: [], shell: false }), {
      events: [],
      shell: false,
    });
  });

  it('refuses the whole message when any name is unknown or a field is missing', () => {
    assert.equal(readSubscribeRequest({ events: ['jobsChanged', 'nope'], shell: false }), null);
    assert.equal(readSubscribeRequest({ events: 'jobsChanged', shell: false }), null);
    assert.equal(readSubscribeRequest({ events: [] }), null);
    assert.equal(readSubscribeRequest(undefined), null);
  });
});
