// RangeSet keeps a segmented file's written/durable ranges sorted and merged; validSpans decides
// whether a stored segment record can be trusted. A wrong merge or gap here would make a resume
// skip bytes (a corrupt file) or refetch bytes it has.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RangeSet, validSpans } from '../../../../main/engine/transfer/range-set.js';

describe('RangeSet', () => {
  it('merges touching and overlapping ranges and keeps them sorted', () => {
    const set = new RangeSet();
    set.add(100, 200);
    set.add(0, 50);
    set.add(300, 400);
    assert.deepEqual(set.toArray(), [
      [0, 50],
      [100, 200],
      [300, 400],
    ]);
    set.add(200, 250); // touches [100, 200)
    assert.deepEqual(set.toArray(), [
      [0, 50],
      [100, 250],
      [300, 400],
    ]);
    set.add(40, 350); // bridges everything
    assert.deepEqual(set.toArray(), [[0, 400]]);
    assert.equal(set.size, 400);
  });

  it('ignores empty and reversed ranges', () => {
    const set = new RangeSet([[10, 20]]);
    set.add(5, 5);
    set.add(30, 25);
    assert.deepEqual(set.toArray(), [[10, 20]]);
    assert.equal(set.size, 10);
  });

  it('builds from unsorted initial ranges', () => {
    const set = new RangeSet([
      [50, 60],
      [0, 10],
      [10, 20],
    ]);
    assert.deepEqual(set.toArray(), [
      [0, 20],
      [50, 60],
    ]);
  });

  it('lists the gaps of [0, total), clipped to total', () => {
    const set = new RangeSet([
      [10, 20],
      [30, 40],
    ]);
    assert.deepEqual(set.gaps(50), [
      [0, 10],
      [20, 30],
      [40, 50],
    ]);
    assert.deepEqual(set.gaps(35), [
      [0, 10],
      [20, 30],
    ]);
    assert.deepEqual(set.gaps(15), [[0, 10]]);
    assert.deepEqual(new RangeSet().gaps(8), [[0, 8]]);
    assert.deepEqual(new RangeSet([[0, 8]]).gaps(8), []);
  });

  it('says whether it covers the whole file and how long its prefix from byte 0 is', () => {
    const set = new RangeSet([[5, 10]]);
    assert.equal(set.covers(10), false);
    assert.equal(set.prefix(), 0);
    set.add(0, 5);
    assert.equal(set.covers(10), true);
    assert.equal(set.covers(11), false);
    assert.equal(set.prefix(), 10);
    assert.equal(new RangeSet().covers(0), true);
  });

  it('hands out copies: changing toArray() leaves the set alone', () => {
    const set = new RangeSet([[0, 10]]);
    const copy = set.toArray();
    const first = copy[0];
    assert.ok(first !== undefined);
    first[1] = 99;
    assert.deepEqual(set.toArray(), [[0, 10]]);
  });
});

describe('validSpans', () => {
  it('accepts sorted, disjoint, non-empty ranges inside the file', () => {
    assert.equal(
      validSpans(
        [
          [0, 10],
          [20, 30],
        ],
        30,
      ),
      true,
    );
    assert.equal(validSpans([], 30), true);
  });

  it('refuses anything a crash or a bad store could leave', () => {
    const bad: unknown[] = [
      null,
      'x',
      [[0]],
      [[0, '10']],
      [[0, 1.5]],
      [[-1, 5]],
      [[5, 5]],
      [[0, 31]],
      [
        [10, 20],
        [0, 5],
      ],
      [
        [0, 10],
        [5, 15],
      ],
    ];
    for (const spans of bad) {
      assert.equal(validSpans(spans, 30), false, JSON.stringify(spans));
    }
  });
});
