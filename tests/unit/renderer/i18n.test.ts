import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOB_STATES } from '../../../app/model/job-state.js';
import { formatBytes, formatDuration, formatSpeed } from '../../../renderer/i18n/format.js';
import { en } from '../../../renderer/i18n/en.js';
import { fr } from '../../../renderer/i18n/fr.js';

/** Every leaf key of a nested string table, dotted, with its value. */
function leaves(table: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(table) as [string, unknown][]) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of leaves(value, path)) out.set(k, v);
    }
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('i18n: English and French', () => {
  const enKeys = leaves(en);
  const frKeys = leaves(fr);

  it('have exactly the same keys', () => {
    assert.deepEqual([...frKeys.keys()].sort(), [...enKeys.keys()].sort());
  });

  it('use the same placeholders in every string, and none is empty', () => {
    for (const [key, english] of enKeys) {
      const french = frKeys.get(key) ?? '';
      assert.notEqual(french.trim(), '', key);
      assert.deepEqual(placeholders(french), placeholders(english), key);
    }
  });

  it('name every state, French as the reference page does', () => {
    for (const state of JOB_STATES) {
      assert.ok(enKeys.has(`states.${state}`), state);
      assert.ok(frKeys.has(`states.${state}`), state);
    }
    assert.equal(fr.states.QUEUED, 'En file d’attente');
    assert.equal(fr.states.TRANSIENT_ERROR, 'Erreur temporaire');
    assert.equal(fr.states.SUSPENDED, 'Suspendu');
  });
});

describe('i18n: locale formats', () => {
  it('sizes and speeds use the locale’s units and decimal sign', () => {
    assert.equal(formatBytes(1_500_000, 'en'), '1.5 MB');
    assert.match(formatBytes(1_500_000, 'fr'), /^1,5\s?Mo$/);
    assert.equal(formatSpeed(2_300_000, 'en'), '2.3 MB/s');
    assert.match(formatSpeed(2_300_000, 'fr'), /^2,3\s?Mo\/s$/);
  });
  it('durations show at most two units', () => {
    assert.equal(formatDuration(3_900, 'en'), '1 hr 5 min');
    assert.equal(formatDuration(42, 'en'), '42 sec');
    assert.equal(formatDuration(90_061, 'en'), '1 day 1 hr');
  });
});
