import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobMethod, JobState } from '../../../app/index.js';
import { JOB_METHODS, JOB_STATES, isAllowed, isFinalState, nextState } from '../../../app/index.js';

/**
 * The transition table written out independently of app/transitions.ts, from bits.md §1.5 and
 * the table's doc comment. Columns are in BG_JOB_STATE order; `null` means BG_E_INVALID_STATE.
 */
const COLUMNS = [
  'QUEUED',
  'CONNECTING',
  'TRANSFERRING',
  'SUSPENDED',
  'ERROR',
  'TRANSIENT_ERROR',
  'TRANSFERRED',
  'ACKNOWLEDGED',
  'CANCELLED',
] as const satisfies readonly JobState[];

type Row = readonly [
  JobState | null,
  JobState | null,
  JobState | null,
  JobState | null,
  JobState | null,
  JobState | null,
  JobState | null,
  JobState | null,
  JobState | null,
];

// prettier-ignore
const EXPECTED: Readonly<Record<JobMethod, Row>> = {
  //                    QUEUED          CONNECTING      TRANSFERRING    SUSPENDED       ERROR           TRANSIENT_ERROR    TRANSFERRED     ACKNOWLEDGED CANCELLED
  suspend:             ['SUSPENDED',    'SUSPENDED',    'SUSPENDED',    'SUSPENDED',    'SUSPENDED',    'SUSPENDED',       'SUSPENDED',    null,        null],
  resume:              ['QUEUED',       'CONNECTING',   'TRANSFERRING', 'QUEUED',       'QUEUED',       'QUEUED',          'TRANSFERRED',  null,        null],
  complete:            ['ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED',    'ACKNOWLEDGED', null,        null],
  cancel:              ['CANCELLED',    'CANCELLED',    'CANCELLED',    'CANCELLED',    'CANCELLED',    'CANCELLED',       'CANCELLED',    null,        null],
  addFile:             ['QUEUED',       'CONNECTING',   'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'SUSPENDED',    null,        null],
  setProperty:         ['QUEUED',       'CONNECTING',   'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  setRemoteName:       ['QUEUED',       'QUEUED',       'QUEUED',       'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  replaceRemotePrefix: ['QUEUED',       'QUEUED',       'QUEUED',       'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  takeOwnership:       ['QUEUED',       'CONNECTING',   'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
};

describe('transition table', () => {
  it('covers exactly the listed methods and states', () => {
    assert.deepEqual([...JOB_METHODS].sort(), Object.keys(EXPECTED).sort());
    assert.deepEqual([...JOB_STATES], [...COLUMNS]);
  });

  for (const method of JOB_METHODS) {
    describe(method, () => {
      COLUMNS.forEach((state, column) => {
        const expected = EXPECTED[method][column] ?? null;
        it(`${state} → ${expected ?? 'refused'}`, () => {
          assert.equal(nextState(method, state), expected);
          assert.equal(isAllowed(method, state), expected !== null);
        });
      });
    });
  }
});

describe('transition invariants', () => {
  const finals = JOB_STATES.filter((s) => isFinalState(s));
  const nonFinals = JOB_STATES.filter((s) => !isFinalState(s));

  it('has two final and seven non-final states', () => {
    assert.deepEqual(finals, ['ACKNOWLEDGED', 'CANCELLED']);
    assert.equal(nonFinals.length, 7);
  });

  it('refuses every method in both final states', () => {
    for (const method of JOB_METHODS) {
      for (const state of finals) {
        assert.equal(isAllowed(method, state), false, `${method} in ${state}`);
        assert.equal(nextState(method, state), null, `${method} in ${state}`);
      }
    }
  });

  it('allows every method in all seven non-final states', () => {
    for (const method of JOB_METHODS) {
      for (const state of nonFinals) {
        assert.equal(isAllowed(method, state), true, `${method} in ${state}`);
        assert.notEqual(nextState(method, state), null, `${method} in ${state}`);
      }
    }
  });

  it('only complete and cancel lead to a final state', () => {
    for (const method of JOB_METHODS) {
      for (const state of nonFinals) {
        const next = nextState(method, state);
        assert.ok(next !== null);
        const shouldBeFinal = method === 'complete' || method === 'cancel';
        assert.equal(isFinalState(next), shouldBeFinal, `${method} in ${state} → ${next}`);
      }
    }
  });
});
