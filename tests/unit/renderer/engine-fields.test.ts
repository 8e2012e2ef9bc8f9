import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ENGINE_SETTINGS } from '../../../app/model/settings.js';
import type { EngineSettings } from '../../../app/model/settings.js';
import {
  ENGINE_FIELDS,
  fromFormValue,
  presentFields,
  toFormValue,
} from '../../../renderer/features/settings/engine-fields.js';

describe('settings dialog: engine fields', () => {
  it('shows only the known fields the host reports, with the right type', () => {
    const keys = presentFields(DEFAULT_ENGINE_SETTINGS).map((f) => f.key);
    for (const key of keys) assert.ok(Object.hasOwn(DEFAULT_ENGINE_SETTINGS, key), key);
    assert.ok(keys.includes('maxConcurrentJobs'));
    const older = { maxConcurrentJobs: 3, userAgent: 'x' } as unknown as EngineSettings;
    assert.deepEqual(
      presentFields(older).map((f) => f.key),
      ['maxConcurrentJobs', 'userAgent'],
    );
    const odd = { maxConcurrentJobs: 'three' } as unknown as EngineSettings;
    assert.deepEqual(presentFields(odd), []);
  });

  it('speed limits are edited in KiB/s and stored in bytes per second', () => {
    const field = ENGINE_FIELDS.find((f) => f.key === 'speedLimit');
    assert.ok(field !== undefined);
    assert.equal(toFormValue(field, 204_800), '200');
    assert.equal(fromFormValue(field, '200'), 204_800);
    assert.equal(fromFormValue(field, ''), null);
    assert.equal(fromFormValue(field, 'fast'), null);
  });
});
