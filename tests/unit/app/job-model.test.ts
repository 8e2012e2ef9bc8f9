import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobState, JobStateClass, NotifyFlagName } from '../../../app/index.js';
import {
  ALL_NOTIFY_FLAGS,
  DEFAULT_MINIMUM_RETRY_DELAY,
  DEFAULT_NO_PROGRESS_TIMEOUT,
  DEFAULT_NOTIFY_FLAGS,
  DEFAULT_PRIORITY,
  ERROR_CONTEXTS,
  JOB_PRIORITIES,
  JOB_STATES,
  JOB_TYPES,
  MAX_DESCRIPTION_LENGTH,
  MINIMUM_NOTIFICATION_INTERVAL_MS,
  MINIMUM_RETRY_DELAY_FLOOR,
  NotifyFlag,
  SUPPORTED_JOB_TYPES,
  isFinalState,
  isJobId,
  jobStateValue,
  priorityRank,
  stateClass,
  wantsNotification,
} from '../../../app/index.js';

// Expected values are spelled out from bits.md §1.3–1.5, not derived from the source arrays.

describe('job states', () => {
  const cases: readonly [JobState, number, JobStateClass, boolean][] = [
    ['QUEUED', 0, 'action', false],
    ['CONNECTING', 1, 'action', false],
    ['TRANSFERRING', 2, 'action', false],
    ['SUSPENDED', 3, 'starting', false],
    ['ERROR', 4, 'stopped', false],
    ['TRANSIENT_ERROR', 5, 'action', false],
    ['TRANSFERRED', 6, 'stopped', false],
    ['ACKNOWLEDGED', 7, 'final', true],
    ['CANCELLED', 8, 'final', true],
  ];

  it('has exactly the nine BITS state names in BG_JOB_STATE order', () => {
    assert.deepEqual(
      [...JOB_STATES],
      cases.map(([state]) => state),
    );
  });

  for (const [state, value, cls, final] of cases) {
    it(`${state}: value ${value}, class ${cls}, final ${final}`, () => {
      assert.equal(jobStateValue(state), value);
      assert.equal(JOB_STATES[value], state);
      assert.equal(stateClass(state), cls);
      assert.equal(isFinalState(state), final);
    });
  }
});

describe('priorities', () => {
  it('are FOREGROUND, HIGH, NORMAL, LOW with ranks 0..3', () => {
    assert.deepEqual([...JOB_PRIORITIES], ['FOREGROUND', 'HIGH', 'NORMAL', 'LOW']);
    const expected = [
      ['FOREGROUND', 0],
      ['HIGH', 1],
      ['NORMAL', 2],
      ['LOW', 3],
    ] as const;
    for (const [priority, rank] of expected) assert.equal(priorityRank(priority), rank, priority);
  });

  it('defaults to NORMAL', () => {
    assert.equal(DEFAULT_PRIORITY, 'NORMAL');
  });
});

describe('job types', () => {
  it('are DOWNLOAD=0, UPLOAD=1, UPLOAD_REPLY=2, all three supported', () => {
    assert.deepEqual([...JOB_TYPES], ['DOWNLOAD', 'UPLOAD', 'UPLOAD_REPLY']);
    assert.deepEqual([...SUPPORTED_JOB_TYPES], ['DOWNLOAD', 'UPLOAD', 'UPLOAD_REPLY']);
  });
});

describe('error contexts', () => {
  it('follow BG_ERROR_CONTEXT numeric order NONE=0 … SERVER_CERTIFICATE_CALLBACK=8', () => {
    const expected = [
      'NONE',
      'UNKNOWN',
      'GENERAL_QUEUE_MANAGER',
      'QUEUE_MANAGER_NOTIFICATION',
      'LOCAL_FILE',
      'REMOTE_FILE',
      'GENERAL_TRANSPORT',
      'REMOTE_APPLICATION',
      'SERVER_CERTIFICATE_CALLBACK',
    ];
    assert.deepEqual([...ERROR_CONTEXTS], expected);
    assert.equal(ERROR_CONTEXTS.indexOf('LOCAL_FILE'), 4);
    assert.equal(ERROR_CONTEXTS.indexOf('SERVER_CERTIFICATE_CALLBACK'), 8);
  });
});

describe('notify flags', () => {
  it('have the BG_NOTIFY_* values', () => {
    assert.deepEqual(
      { ...NotifyFlag },
      {
        JOB_TRANSFERRED: 1,
        JOB_ERROR: 2,
        DISABLE: 4,
        JOB_MODIFICATION: 8,
        FILE_TRANSFERRED: 0x10,
      },
    );
    assert.equal(ALL_NOTIFY_FLAGS, 0x1f);
  });

  it('default to JOB_TRANSFERRED | JOB_ERROR = 3', () => {
    assert.equal(DEFAULT_NOTIFY_FLAGS, 3);
  });

  const names: readonly NotifyFlagName[] = [
    'JOB_TRANSFERRED',
    'JOB_ERROR',
    'DISABLE',
    'JOB_MODIFICATION',
    'FILE_TRANSFERRED',
  ];
  // [flags, names that are wanted]
  const cases: readonly [number, readonly NotifyFlagName[]][] = [
    [0, []],
    [1, ['JOB_TRANSFERRED']],
    [2, ['JOB_ERROR']],
    [3, ['JOB_TRANSFERRED', 'JOB_ERROR']],
    [8, ['JOB_MODIFICATION']],
    [0x10, ['FILE_TRANSFERRED']],
    [0x1b, ['JOB_TRANSFERRED', 'JOB_ERROR', 'JOB_MODIFICATION', 'FILE_TRANSFERRED']],
    // DISABLE wins over every other bit, including itself.
    [4, []],
    [0x1f, []],
    [3 | 4, []],
  ];
  for (const [flags, wanted] of cases) {
    it(`flags 0x${flags.toString(16)} want ${wanted.length === 0 ? 'nothing' : wanted.join(', ')}`, () => {
      for (const name of names) {
        assert.equal(wantsNotification(flags, name), wanted.includes(name), name);
      }
    });
  }
});

describe('BITS defaults', () => {
  it('match bits.md §1.4', () => {
    assert.equal(DEFAULT_MINIMUM_RETRY_DELAY, 600);
    assert.equal(MINIMUM_RETRY_DELAY_FLOOR, 5);
    assert.equal(DEFAULT_NO_PROGRESS_TIMEOUT, 1_209_600);
    assert.equal(MINIMUM_NOTIFICATION_INTERVAL_MS, 500);
    assert.equal(MAX_DESCRIPTION_LENGTH, 1024);
  });
});

describe('isJobId', () => {
  const cases: readonly [string, boolean][] = [
    ['0f8fad5b-d9cb-469f-a165-70867728950e', true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['0F8FAD5B-D9CB-469F-A165-70867728950E', false],
    ['{0f8fad5b-d9cb-469f-a165-70867728950e}', false],
    ['0f8fad5bd9cb469fa16570867728950e', false],
    ['0f8fad5b-d9cb-469f-a165-70867728950', false],
    ['0f8fad5b-d9cb-469f-a165-70867728950e0', false],
    ['0f8fad5b-d9cb-469f-a165-70867728950g', false],
    [' 0f8fad5b-d9cb-469f-a165-70867728950e', false],
    ['0f8fad5b-d9cb-469f-a165-70867728950e\n', false],
    ['', false],
  ];
  for (const [value, ok] of cases) {
    it(`${JSON.stringify(value)} → ${ok}`, () => {
      assert.equal(isJobId(value), ok);
    });
  }
});
