import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobMethod, JobState } from '../../../app/index.js';
import { JOB_FLAVOURS } from '../../../app/model/job-flavour.js';
import type { JobFlavour } from '../../../app/model/job-flavour.js';
import {
  FLAVOUR_RULES,
  JOB_METHODS,
  absentReason,
  JOB_STATES,
  hasMethod,
  isAllowed,
  isFinalState,
  nextState,
} from '../../../app/index.js';

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
  setMinimumRetryDelay:['QUEUED',       'CONNECTING',   'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  setRemoteName:       ['QUEUED',       'QUEUED',       'QUEUED',       'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  replaceRemotePrefix: ['QUEUED',       'QUEUED',       'QUEUED',       'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  takeOwnership:       ['QUEUED',       'CONNECTING',   'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
};

/**
 * The DO flavour (seed 001, deliveryoptimization.h): CONNECTING is "Not supported", so no
 * method has a CONNECTING column, and the DO job has no SetMinimumRetryDelay at all.
 */
// prettier-ignore
const EXPECTED_DO: Readonly<Record<JobMethod, Row>> = {
  //                    QUEUED          CONNECTING      TRANSFERRING    SUSPENDED       ERROR           TRANSIENT_ERROR    TRANSFERRED     ACKNOWLEDGED CANCELLED
  suspend:             ['SUSPENDED',    null,           'SUSPENDED',    'SUSPENDED',    'SUSPENDED',    'SUSPENDED',       'SUSPENDED',    null,        null],
  resume:              ['QUEUED',       null,           'TRANSFERRING', 'QUEUED',       'QUEUED',       'QUEUED',          'TRANSFERRED',  null,        null],
  complete:            ['ACKNOWLEDGED', null,           'ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED',    'ACKNOWLEDGED', null,        null],
  cancel:              ['CANCELLED',    null,           'CANCELLED',    'CANCELLED',    'CANCELLED',    'CANCELLED',       'CANCELLED',    null,        null],
  addFile:             ['QUEUED',       null,           'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'SUSPENDED',    null,        null],
  setProperty:         ['QUEUED',       null,           'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  setMinimumRetryDelay:[null,           null,           null,           null,           null,           null,              null,           null,        null],
  setRemoteName:       ['QUEUED',       null,           'QUEUED',       'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  replaceRemotePrefix: ['QUEUED',       null,           'QUEUED',       'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
  takeOwnership:       ['QUEUED',       null,           'TRANSFERRING', 'SUSPENDED',    'ERROR',        'TRANSIENT_ERROR', 'TRANSFERRED',  null,        null],
};

const TABLES: Readonly<Record<JobFlavour, Readonly<Record<JobMethod, Row>>>> = {
  BITS: EXPECTED,
  DO: EXPECTED_DO,
};

describe('transition table', () => {
  it('covers exactly the listed methods, states and flavours', () => {
    assert.deepEqual([...JOB_METHODS].sort(), Object.keys(EXPECTED).sort());
    assert.deepEqual([...JOB_METHODS].sort(), Object.keys(EXPECTED_DO).sort());
    assert.deepEqual([...JOB_STATES], [...COLUMNS]);
    assert.deepEqual([...JOB_FLAVOURS], ['BITS', 'DO']);
  });

  it('reads BITS when no flavour is given', () => {
    for (const method of JOB_METHODS) {
      for (const state of JOB_STATES) {
        assert.equal(nextState(method, state), nextState(method, state, { flavour: 'BITS' }));
        assert.equal(nextState(method, state, {}), nextState(method, state, { flavour: 'BITS' }));
      }
    }
  });

  for (const flavour of JOB_FLAVOURS) {
    for (const method of JOB_METHODS) {
      describe(`${flavour} ${method}`, () => {
        COLUMNS.forEach((state, column) => {
          const expected = TABLES[flavour][method][column] ?? null;
          it(`${state} → ${expected ?? 'refused'}`, () => {
            assert.equal(nextState(method, state, { flavour }), expected);
            assert.equal(isAllowed(method, state, { flavour }), expected !== null);
          });
        });
      });
    }
  }
});

describe('flavour rules', () => {
  it('a BITS run starts in CONNECTING, a DO run in TRANSFERRING', () => {
    assert.equal(FLAVOUR_RULES.BITS.runState, 'CONNECTING');
    assert.equal(FLAVOUR_RULES.DO.runState, 'TRANSFERRING');
    assert.deepEqual(FLAVOUR_RULES.DO.unreachable, ['CONNECTING']);
    assert.deepEqual(FLAVOUR_RULES.BITS.unreachable, []);
  });

  it('no method leads a job into a state its flavour never enters', () => {
    for (const flavour of JOB_FLAVOURS) {
      const { unreachable } = FLAVOUR_RULES[flavour];
      for (const method of JOB_METHODS) {
        for (const state of JOB_STATES) {
          const next = nextState(method, state, { flavour });
          assert.ok(next === null || !unreachable.includes(next), `${flavour} ${method} ${state}`);
        }
      }
    }
  });

  it('only DO lacks SetMinimumRetryDelay, and it retries on the engine back-off', () => {
    assert.equal(hasMethod('setMinimumRetryDelay', { flavour: 'BITS' }), true);
    assert.equal(hasMethod('setMinimumRetryDelay', { flavour: 'DO' }), false);
    assert.equal(FLAVOUR_RULES.BITS.retryDelay, 'job');
    assert.equal(FLAVOUR_RULES.DO.retryDelay, 'engine');
    for (const method of JOB_METHODS.filter((m) => m !== 'setMinimumRetryDelay')) {
      assert.equal(hasMethod(method, { flavour: 'DO' }), true, method);
      assert.equal(absentReason(method, { flavour: 'DO' }), null, method);
    }
    assert.match(absentReason('setMinimumRetryDelay', { flavour: 'DO' }) ?? '', /back-off/);
  });

  it('active time counts CONNECTING and TRANSFERRING (DO: TRANSFERRING only)', () => {
    assert.deepEqual(FLAVOUR_RULES.BITS.activeStates, ['CONNECTING', 'TRANSFERRING']);
    assert.deepEqual(FLAVOUR_RULES.DO.activeStates, ['TRANSFERRING']);
  });

  it('DO notes say what Ferry does where the DO page differs or is silent', () => {
    const about = FLAVOUR_RULES.DO.notes.map((note) => note.about);
    for (const topic of ['CONNECTING', 'TRANSIENT_ERROR', 'SUSPENDED', 'setMinimumRetryDelay']) {
      assert.ok(about.includes(topic as never), topic);
    }
    for (const note of FLAVOUR_RULES.DO.notes) assert.ok(note.text.length > 40, note.about);
  });
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

  it('allows every BITS method in all seven non-final states', () => {
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
