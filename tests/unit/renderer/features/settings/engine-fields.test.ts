import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ENGINE_SETTINGS } from '../../../../../app/model/settings.js';
import type { EngineSettings } from '../../../../../app/model/settings.js';
import {
  ENGINE_FIELDS,
  inBounds,
  presentFields,
  unitsOf,
} from '../../../../../renderer/features/settings/engine-fields.js';
import {
  bestUnit,
  DURATION_UNITS,
  fromUnit,
  inUnit,
  SPEED_UNITS,
} from '../../../../../renderer/i18n/units.js';

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

  it('durations and sizes get unit pickers; counts and text do not', () => {
    const unit = (key: string) => {
      const field = ENGINE_FIELDS.find((f) => f.key === key);
      assert.ok(field !== undefined, key);
      return unitsOf(field)?.map((u) => u.key) ?? null;
    };
    assert.deepEqual(unit('defaultMinimumRetryDelay'), ['seconds', 'minutes', 'hours', 'days']);
    assert.deepEqual(unit('minSegmentSize'), ['kB', 'MB', 'GB']);
    assert.equal(unit('maxConcurrentJobs'), null);
    assert.equal(unit('userAgent'), null);
  });

  it('checks bounds before the host does', () => {
    const field = ENGINE_FIELDS.find((f) => f.key === 'maxConcurrentJobs');
    assert.ok(field !== undefined);
    assert.equal(inBounds(field, 3), true);
    assert.equal(inBounds(field, 0), false);
    assert.equal(inBounds(field, 65), false);
    assert.equal(inBounds(field, 2.5), false);
  });
});

describe('units: values in people’s units', () => {
  it('shows engine durations in the largest whole unit (600 s is 10 min, 14 days)', () => {
    assert.equal(bestUnit(600, DURATION_UNITS).key, 'minutes');
    assert.equal(inUnit(600, bestUnit(600, DURATION_UNITS)), '10');
    assert.equal(bestUnit(1_209_600, DURATION_UNITS).key, 'days');
    assert.equal(inUnit(1_209_600, bestUnit(1_209_600, DURATION_UNITS)), '14');
    assert.equal(bestUnit(90, DURATION_UNITS).key, 'seconds');
    assert.equal(bestUnit(0, DURATION_UNITS).key, 'seconds');
  });

  it('turns typed values back into whole base units, refusing non-numbers', () => {
    const minutes = DURATION_UNITS[1];
    const mbps = SPEED_UNITS[1];
    assert.ok(minutes !== undefined && mbps !== undefined);
    assert.equal(fromUnit('10', minutes), 600);
    assert.equal(fromUnit('1,5', mbps), 1_500_000);
    assert.equal(fromUnit('', minutes), null);
    assert.equal(fromUnit('soon', minutes), null);
    assert.equal(fromUnit('-1', minutes), null);
    assert.equal(inUnit(2_500_000, bestUnit(2_500_000, SPEED_UNITS)), '2.5');
  });
});
