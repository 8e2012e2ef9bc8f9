import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FerryErrorShape, JobMethod, JobState } from '../../../app/index.js';
import {
  ERROR_CONTEXTS,
  FERRY_ERROR_CODES,
  FerryError,
  InvalidStateError,
  JOB_METHODS,
  JOB_STATES,
  fromErrorShape,
  hasErrorCode,
  toErrorShape,
} from '../../../app/index.js';

const PREFIX =
  /^(?:(?:JOB|ENGINE|STORE|INPUT|HTTP|NET|FILE|DISK|NOTIFY|RPC)_[A-Z][A-Z_]*|INTERNAL)$/;

describe('FERRY_ERROR_CODES', () => {
  it('are unique', () => {
    assert.equal(new Set(FERRY_ERROR_CODES).size, FERRY_ERROR_CODES.length);
  });

  // One table-driven test over every code, so a new code cannot go untested.
  it('every code constructs, serialises and round-trips', () => {
    FERRY_ERROR_CODES.forEach((code, i) => {
      const context = ERROR_CONTEXTS[i % ERROR_CONTEXTS.length] ?? 'UNKNOWN';
      const method: JobMethod = JOB_METHODS[i % JOB_METHODS.length] ?? 'resume';
      const state: JobState = JOB_STATES[i % JOB_STATES.length] ?? 'QUEUED';
      const cause = new Error(`underlying ${code}`);
      const message = `Something failed with ${code}`;
      const details = {
        fileIndex: i,
        httpStatus: 400 + i,
        sysCode: `E${code}`,
        method,
        state,
        retryAfter: i * 1.5,
        cause,
      };
      const error = new FerryError(code, context, message, details);
      const where = `code ${code}`;

      assert.match(code, PREFIX, where);
      assert.ok(error instanceof Error, where);
      assert.equal(error.name, 'FerryError', where);
      assert.equal(error.code, code, where);
      assert.equal(error.context, context, where);
      assert.equal(error.message, message, where);
      assert.equal(error.cause, cause, where);
      assert.ok(hasErrorCode(error, code), where);

      const expectedShape: FerryErrorShape = {
        code,
        context,
        message,
        fileIndex: i,
        httpStatus: 400 + i,
        sysCode: `E${code}`,
        method,
        state,
        retryAfter: i * 1.5,
      };
      const shape = error.toShape();
      assert.deepEqual(shape, expectedShape, where);
      assert.ok(!('cause' in shape), where);

      const rebuilt = fromErrorShape(shape);
      assert.ok(rebuilt instanceof FerryError, where);
      assert.deepEqual(rebuilt.toShape(), expectedShape, where);
      assert.equal(rebuilt.message, message, where);

      const overTheWire = JSON.parse(JSON.stringify(shape)) as FerryErrorShape;
      assert.deepEqual(overTheWire, expectedShape, where);
      assert.deepEqual(fromErrorShape(overTheWire).toShape(), expectedShape, where);

      // The cause is kept but stays out of logs and serialisation.
      assert.ok(!Object.keys(error).includes('cause'), where);
      const descriptor = Object.getOwnPropertyDescriptor(error, 'cause');
      assert.equal(descriptor?.enumerable, false, where);
      assert.ok(!JSON.stringify(error).includes('underlying'), where);
      assert.ok(!('cause' in (JSON.parse(JSON.stringify(error)) as object)), where);

      // withFileIndex keeps everything but the file index, including the cause.
      const moved = error.withFileIndex(i + 100);
      assert.deepEqual(moved.toShape(), { ...expectedShape, fileIndex: i + 100 }, where);
      assert.equal(moved.cause, cause, where);

      // Without details, the shape holds only code, context and message.
      const bare = new FerryError(code, context, message);
      assert.deepEqual(bare.toShape(), { code, context, message }, where);
      assert.deepEqual(Object.keys(bare.toShape()).sort(), ['code', 'context', 'message'], where);
      assert.equal(Object.getOwnPropertyDescriptor(bare, 'cause'), undefined, where);
      assert.deepEqual(fromErrorShape(bare.toShape()).toShape(), { code, context, message }, where);
    });
  });
});

describe('InvalidStateError', () => {
  const cases: readonly [JobMethod, JobState, string][] = [
    ['resume', 'ACKNOWLEDGED', "Cannot resume job 'x' in state ACKNOWLEDGED"],
    ['suspend', 'CANCELLED', "Cannot suspend job 'x' in state CANCELLED"],
    ['addFile', 'CANCELLED', "Cannot add files to job 'x' in state CANCELLED"],
    ['setProperty', 'ACKNOWLEDGED', "Cannot change a property of job 'x' in state ACKNOWLEDGED"],
    ['takeOwnership', 'CANCELLED', "Cannot take ownership of job 'x' in state CANCELLED"],
  ];
  for (const [method, state, message] of cases) {
    it(`${method} in ${state}`, () => {
      const error = new InvalidStateError('x', method, state);
      assert.ok(error instanceof FerryError);
      assert.equal(error.code, 'JOB_INVALID_STATE');
      assert.equal(error.context, 'GENERAL_QUEUE_MANAGER');
      assert.equal(error.message, message);
      assert.deepEqual(error.toShape(), {
        code: 'JOB_INVALID_STATE',
        context: 'GENERAL_QUEUE_MANAGER',
        message,
        method,
        state,
      });
    });
  }

  it('names every method with its own verb', () => {
    const messages = JOB_METHODS.map((m) => new InvalidStateError('j', m, 'CANCELLED').message);
    assert.equal(new Set(messages).size, JOB_METHODS.length);
    for (const message of messages) assert.match(message, /^Cannot .+ job 'j' in state CANCELLED$/);
  });
});

describe('toErrorShape', () => {
  it('keeps a FerryError as it is', () => {
    const error = new FerryError('DISK_FULL', 'LOCAL_FILE', 'Disk full', { sysCode: 'ENOSPC' });
    assert.deepEqual(toErrorShape(error), {
      code: 'DISK_FULL',
      context: 'LOCAL_FILE',
      message: 'Disk full',
      sysCode: 'ENOSPC',
    });
  });

  const cases: readonly [string, unknown, string][] = [
    ['a plain Error', new Error('boom'), 'Internal error: boom'],
    ['a TypeError', new TypeError('x is undefined'), 'Internal error: x is undefined'],
    ['a string', 'oops', 'Internal error: oops'],
    ['undefined', undefined, 'Internal error: undefined'],
    [
      'a look-alike object from another realm',
      { code: 'DISK_FULL', context: 'LOCAL_FILE', message: 'm' },
      'Internal error: [object Object]',
    ],
  ];
  for (const [name, thrown, message] of cases) {
    it(`turns ${name} into INTERNAL`, () => {
      assert.deepEqual(toErrorShape(thrown), { code: 'INTERNAL', context: 'UNKNOWN', message });
    });
  }
});

describe('hasErrorCode', () => {
  const error = new FerryError('JOB_NOT_FOUND', 'GENERAL_QUEUE_MANAGER', 'No such job');
  const cases: readonly [string, unknown, boolean][] = [
    ['the FerryError with its code', error, true],
    ['a plain object with the code (duck typing)', { code: 'JOB_NOT_FOUND' }, true],
    ['a rebuilt shape', fromErrorShape(error.toShape()), true],
    ['an error with another code', new FerryError('JOB_EMPTY', 'NONE', 'x'), false],
    ['a Node errno error', Object.assign(new Error('x'), { code: 'ENOENT' }), false],
    ['null', null, false],
    ['undefined', undefined, false],
    ['the code as a bare string', 'JOB_NOT_FOUND', false],
    ['an object without a code', { message: 'JOB_NOT_FOUND' }, false],
  ];
  for (const [name, value, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assert.equal(hasErrorCode(value, 'JOB_NOT_FOUND'), expected);
    });
  }
});
