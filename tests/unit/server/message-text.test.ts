// The incremental serialiser must write exactly what JSON.stringify writes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerMessage } from '../../../app/wire.js';
import { messageText } from '../../../main/server/message-text.js';

const jobs = Array.from({ length: 1234 }, (_, i) => ({
  id: `job-${String(i)}`,
  name: `n\u202e"\\\n${String(i)}`,
  nothing: undefined,
  size: i % 7 === 0 ? null : i,
}));

describe('messageText', () => {
  const cases: [string, ServerMessage][] = [
    ['a long list', { type: 'result', id: 7, result: { ok: true, value: jobs } }],
    ['a snapshot', { type: 'result', id: 8, result: { ok: true, value: { revision: 42, jobs } } }],
    ['a snapshot with only jobs', { type: 'result', id: 9, result: { ok: true, value: { jobs } } }],
    [
      'a list with holes',
      { type: 'result', id: 10, result: { ok: true, value: [...jobs, undefined] } },
    ],
    ['a short list', { type: 'result', id: 11, result: { ok: true, value: [1, 2, 3] } }],
    ['an event', { type: 'event', event: 'jobsChanged', payload: { jobs } }],
  ];
  for (const [what, message] of cases) {
    it(`writes ${what} as JSON.stringify does`, async () => {
      assert.equal(await messageText(message), JSON.stringify(message));
    });
  }
});
