// The smoke test's trace (main/electron/shell-trace.ts): a platform whose tray tooltips and
// notifications are also recorded on globalThis, passed through unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tracedPlatform } from '../../main/electron/shell-trace.js';
import type { ShellTrace } from '../../main/electron/shell-trace.js';
import { trayImage } from '../../main/electron/tray-icon.js';
import { createTestPlatform } from './support/test-platform.js';
import type { TestPlatform } from './support/test-platform.js';

let platform: TestPlatform;

before(async () => {
  platform = await createTestPlatform();
});

after(async () => {
  await platform.dispose();
});

describe('tracedPlatform', () => {
  it('records tooltips and notifications on globalThis and passes them on', () => {
    const traced = tracedPlatform(platform);
    const tray = traced.createTray(trayImage('idle'));
    tray.setToolTip('Ferry: no active downloads');
    let clicked = 0;
    traced.notifications.show({ title: 'Download finished', body: 'a: a.iso' }, () => {
      clicked++;
    });
    const trace = (globalThis as { ferryShellTrace?: ShellTrace }).ferryShellTrace;
    assert.deepEqual(trace, {
      toolTips: ['Ferry: no active downloads'],
      notes: ['Download finished: a: a.iso'],
    });
    assert.equal(platform.tray().toolTip, 'Ferry: no active downloads');
    const [shown] = platform.shownNotifications;
    assert.ok(shown !== undefined);
    assert.equal(shown.body, 'a: a.iso');
    shown.click();
    assert.equal(clicked, 1);
  });
});
