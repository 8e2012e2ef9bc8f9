import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOB_STATES } from '../../../../app/model/job-state.js';
import { formatBytes, formatDuration, formatSpeed } from '../../../../renderer/i18n/format.js';
import { en } from '../../../../renderer/i18n/en.js';
import { fr } from '../../../../renderer/i18n/fr.js';
import { createI18n } from '../../../../renderer/i18n/index.js';
import { statusOf } from '../../../../renderer/store/job-status.js';

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

  it('word every state as a download manager does', () => {
    for (const state of JOB_STATES) {
      const status = statusOf(state);
      assert.ok(enKeys.has(`jobStatus.${status}`), state);
      assert.ok(frKeys.has(`jobStatus.${status}`), state);
    }
    assert.equal(en.jobStatus[statusOf('TRANSFERRING')], 'Downloading');
    assert.equal(en.jobStatus[statusOf('SUSPENDED')], 'Paused');
    assert.equal(en.jobStatus[statusOf('ACKNOWLEDGED')], 'Done');
    assert.equal(fr.jobStatus[statusOf('ERROR')], 'Échec');
  });

  it('count with the language’s plural rules, not "1 downloads"', async () => {
    const i18n = await createI18n('en');
    assert.equal(i18n.t('notices.downloadsFailed', { count: 1 }), '1 download failed.');
    assert.equal(i18n.t('notices.downloadsFailed', { count: 3 }), '3 downloads failed.');
    await i18n.changeLanguage('fr');
    // French counts 0 and 1 as singular.
    assert.equal(i18n.t('notices.downloadsFailed', { count: 0 }), '0 téléchargement a échoué.');
    assert.equal(i18n.t('notices.downloadsFailed', { count: 2 }), '2 téléchargements ont échoué.');
  });

  it('translate nested action names in messages when shown', async () => {
    const i18n = await createI18n('fr');
    assert.equal(
      i18n.t('notices.failed', { action: 'actions.resume', message: 'x' }),
      'Reprendre a échoué : x',
    );
  });
});

describe('i18n: locale formats', () => {
  it('plain bytes use the unit symbol ("0 B"), never "0 byte"', () => {
    assert.equal(formatBytes(0, 'en'), '0\u00a0B');
    assert.equal(formatSpeed(512, 'fr'), '512\u00a0o/s');
  });
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
