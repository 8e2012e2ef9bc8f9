import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregateProgress,
  formatBytes,
  jobsToResume,
  jobsToSuspend,
  taskbarProgress,
  trayMenuModel,
  trayState,
  trayTooltip,
} from '../../../main/electron/tray-text.js';
import { SHELL_TEXT_FR } from '../../../app/shell-text.js';
import type { ShellText } from '../../../app/shell-text.js';
import { jobInfo } from './job-fixture.js';

const MB = 1024 * 1024;

describe('formatBytes', () => {
  it('uses binary units with one decimal', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(3.4 * MB), '3.4 MB');
    assert.equal(formatBytes(2 * 1024 * MB), '2.0 GB');
    assert.equal(formatBytes(Number.NaN), '0 B');
  });
});

describe('aggregateProgress', () => {
  it('sums the active jobs only and counts failed ones', () => {
    const p = aggregateProgress([
      jobInfo(1, 'TRANSFERRING', { bytesTotal: 100, bytesTransferred: 40 }),
      jobInfo(2, 'QUEUED', { bytesTotal: 300, bytesTransferred: 0 }),
      jobInfo(3, 'SUSPENDED', { bytesTotal: 900, bytesTransferred: 900 }),
      jobInfo(4, 'ERROR'),
      jobInfo(5, 'TRANSFERRED'),
    ]);
    assert.deepEqual(p, { activeJobs: 2, bytesTransferred: 40, bytesTotal: 400, errorJobs: 1 });
  });

  it('has an unknown total when any active size is unknown', () => {
    const p = aggregateProgress([
      jobInfo(1, 'TRANSFERRING', { bytesTotal: 100 }),
      jobInfo(2, 'CONNECTING', { bytesTotal: null }),
    ]);
    assert.equal(p.bytesTotal, null);
  });
});

describe('trayTooltip', () => {
  it('says idle when nothing is active', () => {
    assert.equal(trayTooltip([], 0), 'Ferry: no active downloads');
    assert.equal(trayTooltip([jobInfo(1, 'ERROR')], 0), 'Ferry: no active downloads, 1 failed');
  });

  it('shows count, percentage of the total and speed', () => {
    const jobs = [
      jobInfo(1, 'TRANSFERRING', { bytesTotal: 100 * MB, bytesTransferred: 45 * MB }),
      jobInfo(2, 'TRANSIENT_ERROR', { bytesTotal: 100 * MB, bytesTransferred: 45 * MB }),
    ];
    assert.equal(trayTooltip(jobs, 3.4 * MB), 'Ferry: 2 downloads, 45% of 200.0 MB, 3.4 MB/s');
  });

  it('shows bytes so far when the size is unknown', () => {
    const jobs = [jobInfo(1, 'TRANSFERRING', { bytesTotal: null, bytesTransferred: 12 * MB })];
    assert.equal(trayTooltip(jobs, 0), 'Ferry: 1 download, 12.0 MB so far, 0 B/s');
  });
});

describe('taskbarProgress', () => {
  it('removes the bar when idle', () => {
    assert.deepEqual(taskbarProgress([jobInfo(1, 'SUSPENDED')]), { value: -1, mode: 'none' });
  });

  it('shows the combined fraction', () => {
    const jobs = [
      jobInfo(1, 'TRANSFERRING', { bytesTotal: 200, bytesTransferred: 50 }),
      jobInfo(2, 'QUEUED', { bytesTotal: 200, bytesTransferred: 0 }),
    ];
    assert.deepEqual(taskbarProgress(jobs), { value: 0.125, mode: 'normal' });
  });

  it('is indeterminate while a size is unknown, and red when only failures remain', () => {
    assert.equal(
      taskbarProgress([jobInfo(1, 'CONNECTING', { bytesTotal: null })]).mode,
      'indeterminate',
    );
    assert.deepEqual(taskbarProgress([jobInfo(1, 'ERROR')]), { value: 1, mode: 'error' });
  });
});

describe('tray menu', () => {
  it('offers Show, Add from clipboard, Suspend all, Resume all and Quit, in English and French', () => {
    const labels = (text?: ShellText) =>
      trayMenuModel([], text).flatMap((e) => (e.type === 'item' ? [e.label] : []));
    assert.deepEqual(labels(), [
      'Show Ferry',
      'Add from clipboard',
      'Suspend all',
      'Resume all',
      'Quit Ferry',
    ]);
    assert.deepEqual(labels(SHELL_TEXT_FR), [
      'Afficher Ferry',
      'Ajouter depuis le presse-papiers',
      'Tout suspendre',
      'Tout reprendre',
      'Quitter Ferry',
    ]);
  });

  it('enables Suspend all and Resume all only when they apply', () => {
    const enabled = (jobs: Parameters<typeof trayMenuModel>[0]) =>
      Object.fromEntries(
        trayMenuModel(jobs).flatMap((e) => (e.type === 'item' ? [[e.action, e.enabled]] : [])),
      );
    assert.deepEqual(enabled([]), {
      show: true,
      addFromClipboard: true,
      suspendAll: false,
      resumeAll: false,
      quit: true,
    });
    assert.deepEqual(enabled([jobInfo(1, 'TRANSFERRING')]), {
      show: true,
      addFromClipboard: true,
      suspendAll: true,
      resumeAll: false,
      quit: true,
    });
    assert.deepEqual(enabled([jobInfo(1, 'SUSPENDED')]), {
      show: true,
      addFromClipboard: true,
      suspendAll: false,
      resumeAll: true,
      quit: true,
    });
  });

  it('suspends active jobs and resumes suspended (non-empty) and failed ones', () => {
    const jobs = [
      jobInfo(1, 'QUEUED'),
      jobInfo(2, 'CONNECTING'),
      jobInfo(3, 'TRANSFERRING'),
      jobInfo(4, 'TRANSIENT_ERROR'),
      jobInfo(5, 'SUSPENDED'),
      jobInfo(6, 'SUSPENDED', { filesTotal: 0 }),
      jobInfo(7, 'ERROR'),
      jobInfo(8, 'TRANSFERRED'),
      jobInfo(9, 'ACKNOWLEDGED'),
      jobInfo(10, 'CANCELLED'),
    ];
    const names = (list: readonly { displayName: string }[]) => list.map((j) => j.displayName);
    assert.deepEqual(names(jobsToSuspend(jobs)), ['job 1', 'job 2', 'job 3', 'job 4']);
    assert.deepEqual(names(jobsToResume(jobs)), ['job 5', 'job 7']);
  });
});

describe('trayState', () => {
  it('is error while a job waits in ERROR, else transferring or idle', () => {
    assert.equal(trayState([]), 'idle');
    assert.equal(trayState([jobInfo(1, 'SUSPENDED'), jobInfo(2, 'TRANSFERRED')]), 'idle');
    assert.equal(trayState([jobInfo(1, 'QUEUED')]), 'transferring');
    assert.equal(trayState([jobInfo(1, 'TRANSFERRING'), jobInfo(2, 'ERROR')]), 'error');
  });
});

describe('French tray text', () => {
  it('has French words, units and decimal commas', () => {
    const jobs = [jobInfo(1, 'TRANSFERRING', { bytesTotal: 2 * MB, bytesTransferred: MB })];
    assert.equal(
      trayTooltip(jobs, 1.5 * MB, SHELL_TEXT_FR),
      'Ferry : 1 téléchargement, 50 % de 2,0 Mo, 1,5 Mo/s',
    );
    assert.equal(formatBytes(512, SHELL_TEXT_FR), '512 o');
  });
});
