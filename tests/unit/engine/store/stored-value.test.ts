import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { hasErrorCode } from '../../../../app/index.js';
import {
  jsonText,
  parseStored,
  rowName,
  storedEngineSettings,
} from '../../../../main/engine/store/stored-value.js';

describe('stored values', () => {
  it('jsonText parses a TEXT column and checks what it holds', () => {
    const schema = jsonText(z.array(z.number()));
    assert.deepEqual(schema.parse('[1,2]'), [1, 2]);
    assert.equal(schema.safeParse('[1,').error?.issues[0]?.message, 'is not valid JSON');
    assert.equal(schema.safeParse('["a"]').success, false);
    assert.equal(schema.safeParse(7).success, false);
  });

  it('parseStored is STORE_FAILED naming the store, the thing and every bad field', () => {
    const schema = z.object({ state: z.enum(['QUEUED']), seq: z.number() });
    assert.deepEqual(parseStored(schema, { state: 'QUEUED', seq: 1 }, 'job x', '/d/ferry.db'), {
      state: 'QUEUED',
      seq: 1,
    });
    assert.throws(
      () => parseStored(schema, { state: 'NOPE', seq: 'one' }, 'job x', '/d/ferry.db'),
      (error: unknown) => {
        assert.ok(hasErrorCode(error, 'STORE_FAILED'));
        const message = error instanceof Error ? error.message : '';
        assert.match(message, /^The store \/d\/ferry\.db holds a corrupt job x: state .*; seq /);
        return true;
      },
    );
  });

  it('rowName names a row by its key when the key reads as text or a number', () => {
    assert.equal(rowName('job', { id: 'abc' }), 'job abc');
    assert.equal(rowName('index', { idx: 2 }, 'idx'), 'index 2');
    assert.equal(rowName('job', { id: null }), 'job');
    assert.equal(rowName('job', undefined), 'job');
  });

  it('stored engine settings drop a key no longer known and check the known ones', () => {
    assert.deepEqual(storedEngineSettings.parse({ maxConcurrentJobs: 2, retired: true }), {
      maxConcurrentJobs: 2,
    });
    assert.equal(storedEngineSettings.safeParse({ maxConcurrentJobs: 0 }).success, false);
  });
});
