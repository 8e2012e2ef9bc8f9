import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchOptions } from '../../../benchmarks/options.js';
import {
  aria2List,
  aria2Split,
  commandLine,
  curlParallel,
} from '../../../benchmarks/peers/cli-tools.js';
import {
  ferryServeArgs,
  ferryTransferArgs,
  ferryTransferCommandLine,
} from '../../../benchmarks/peers/ferry-cli.js';
import {
  DOC_END,
  DOC_START,
  renderMarkdown,
  replaceDocSection,
} from '../../../benchmarks/report/markdown.js';
import { evaluateTargets } from '../../../benchmarks/report/targets.js';
import { DEFAULT_SIZES } from '../../../benchmarks/scenarios/context.js';
import { S1 } from '../../../benchmarks/scenarios/s1-unthrottled.js';
import { S3 } from '../../../benchmarks/scenarios/s3-small-files.js';
import type { BenchReport, Row, ScenarioResult } from '../../../benchmarks/types.js';

function row(
  tool: string,
  mode: string,
  mbps: readonly number[],
  connections?: number,
  failures: string[] = [],
): Row {
  return {
    tool,
    mode,
    command: `${tool} ${mode}`,
    ...(connections === undefined ? {} : { connections }),
    samples: mbps.map((speed) => ({ bytes: 100e6, wallMs: (100 / speed) * 1000, cpuSeconds: 0.1 })),
    failures,
  };
}

describe('peer command lines', () => {
  it('asks aria2c for N connections and N splits of at least 1 MiB, without preallocation', () => {
    const command = aria2Split({ url: 'http://127.0.0.1:1/f', name: 'f' }, '/d', 8, [
      '--auto-save-interval=1',
    ]);
    assert.equal(command.program, 'aria2c');
    for (const flag of [
      '--max-connection-per-server=8',
      '--split=8',
      '--min-split-size=1M',
      '--file-allocation=none',
      '--auto-save-interval=1',
      '--dir=/d',
      '--out=f',
    ]) {
      assert.ok(command.args.includes(flag), flag);
    }
    assert.equal(command.args.at(-1), 'http://127.0.0.1:1/f');
  });

  it('writes list and config files for the many-file peers', () => {
    const files = [
      { url: 'http://h/a', name: 'a' },
      { url: 'http://h/b', name: 'b' },
    ];
    const aria = aria2List(files, '/out', '/tmp/list', 16);
    assert.equal(aria.inputs.get('/tmp/list'), 'http://h/a\n  out=a\nhttp://h/b\n  out=b\n');
    assert.ok(aria.args.includes('--max-concurrent-downloads=16'));
    const curl = curlParallel(files, '/out', '/tmp/cfg', 16);
    assert.equal(
      curl.inputs.get('/tmp/cfg'),
      'url = "http://h/a"\noutput = "/out/a"\nurl = "http://h/b"\noutput = "/out/b"\n',
    );
    assert.match(commandLine(curl), /^curl .* -Z --parallel-max 16 --config \/tmp\/cfg$/);
  });
});

describe('ferry CLI peer', () => {
  it('runs transfer against the data directory of a running server, never starting its own', () => {
    const args = ferryTransferArgs({
      dataDir: '/data',
      urls: ['http://h/a', 'http://h/b'],
      dest: '/out',
      connections: 1,
    });
    assert.deepEqual(args, [
      '--data-dir',
      '/data',
      '--no-start',
      'transfer',
      'http://h/a',
      'http://h/b',
      '--dest',
      '/out',
      '--connections',
      '1',
    ]);
    const byDefault = ferryTransferArgs({
      dataDir: '/d',
      urls: ['u'],
      dest: '/o',
      connections: null,
    });
    assert.ok(!byDefault.includes('--connections'));
    assert.deepEqual(ferryServeArgs('/data'), [
      '--data-dir',
      '/data',
      '--port',
      '0',
      'serve',
      '--no-static',
    ]);
    assert.match(
      ferryTransferCommandLine('<url>', null),
      /^ferry --data-dir <data> --no-start transfer <url> --dest <dir>; server: ferry .* serve /,
    );
  });
});

describe('bench options', () => {
  it('defaults to every scenario, 3 runs and 128 MiB for scenario 2', () => {
    const options = parseBenchOptions([]);
    assert.deepEqual(options.scenarios, [1, 2, 3, 4, 5]);
    assert.equal(options.runs, 3);
    assert.equal(options.sizes.s2Bytes, 128 * 1024 ** 2);
  });

  it('takes scenario lists, runs, sizes and quick mode', () => {
    const options = parseBenchOptions([
      '--scenario',
      '5,2',
      '--scenario',
      '2',
      '--runs',
      '2',
      '--s2-size',
      '1024',
    ]);
    assert.deepEqual(options.scenarios, [2, 5]);
    assert.equal(options.runs, 2);
    assert.equal(options.sizes.s2Bytes, 1024 ** 3);
    const quick = parseBenchOptions(['--quick']);
    assert.equal(quick.runs, 1);
    assert.ok(quick.sizes.s1Bytes < DEFAULT_SIZES.s1Bytes);
    assert.equal(parseBenchOptions(['--full']).sizes.s2Bytes, 1024 ** 3);
    assert.equal(parseBenchOptions([]).fromJson, null);
    assert.equal(parseBenchOptions(['--from-json', 'r.json']).fromJson, 'r.json');
  });

  it('refuses bad input with a message naming the option', () => {
    assert.throws(() => parseBenchOptions(['--scenario', '6']), /--scenario must be 1 to 5/);
    assert.throws(() => parseBenchOptions(['--runs', '0']), /--runs must be a whole number/);
    assert.throws(() => parseBenchOptions(['--runs', 'x']), /--runs/);
    assert.throws(() => parseBenchOptions(['--quick', '--full']), /contradict/);
    assert.throws(() => parseBenchOptions(['--nope']), /nope/);
  });
});

describe('targets and report', () => {
  const s2: ScenarioResult = {
    id: 2,
    title: 'throttled',
    params: {},
    notes: [],
    rows: [
      row('ferry', '1 connection', [10], 1),
      row('aria2c', '-x 1', [9], 1),
      row('ferry', '4 connections', [39, 38, 40], 4),
      row('aria2c', '-x 4', [40], 4),
    ],
  };

  it('judges scaling against 0.95·N × one connection and Ferry against aria2c at the same N', () => {
    const targets = evaluateTargets([s2]);
    const scaling = targets.find((t) => t.target.startsWith('4 connections ≥ 3.8×'));
    assert.equal(scaling?.pass, true);
    const vsAria = targets.find((t) => t.target === '4 connections ≥ aria2c -x4');
    assert.equal(vsAria?.pass, false);
    assert.equal(vsAria.margin, '−3 %');
    assert.equal(targets.find((t) => t.target === '1 connection ≥ aria2c -x1')?.pass, true);
  });

  it('judges the CLI rows by the same rules as the engine rows, only when a run has them', () => {
    const s1: ScenarioResult = {
      id: 1,
      title: 'unthrottled',
      params: {},
      notes: [],
      rows: [
        row('ferry', S1.ferryOne, [500], 1),
        row('ferry', S1.ferryDefault, [600]),
        row('ferry', S1.cliOne, [400], 1),
        row('ferry', S1.cliDefault, [450]),
        row('node', S1.nodeSingle, [500], 1),
        row('curl', 'one GET', [500], 1),
        row('aria2c', '-x 1', [450], 1),
      ],
    };
    const targets = evaluateTargets([s1]);
    const engine = targets.find((t) => t.target.startsWith('default segmentation ≥ 1.1×'));
    const cli = targets.find((t) => t.target.startsWith('ferry transfer: default segmentation'));
    assert.equal(engine?.pass, true);
    assert.equal(cli?.pass, false);
    assert.equal(cli.margin, '−18 %');
    assert.equal(targets.length, 8);
    const withoutCli = { ...s1, rows: s1.rows.filter((r) => !r.mode.startsWith('CLI')) };
    assert.equal(evaluateTargets([withoutCli]).length, 4);
    const s3: ScenarioResult = {
      id: 3,
      title: 'small files',
      params: {},
      notes: [],
      rows: [row('ferry', S3.ferry, [50]), row('ferry', S3.cli, [40]), row('curl', S3.curl, [45])],
    };
    const small = evaluateTargets([s3]);
    assert.deepEqual(
      small.map((t) => [t.target.startsWith('ferry transfer:'), t.pass]),
      [
        [false, true],
        [true, false],
      ],
    );
  });

  it('counts a failed run as a MISS with no number, never as a figure', () => {
    const failed: ScenarioResult = {
      ...s2,
      rows: [row('ferry', '1 connection', [10], 1, ['wrong sha256']), ...s2.rows.slice(1)],
    };
    const target = evaluateTargets([failed]).find((t) => t.target === '1 connection ≥ aria2c -x1');
    assert.equal(target?.pass, false);
    assert.equal(target.measured, 'no valid run');
  });

  it('renders tables with the ratio to Ferry and replaces only the marked section of the doc', () => {
    const report: BenchReport = {
      startedAt: '2026-01-02T03:04:05.000Z',
      finishedAt: '2026-01-02T03:14:05.000Z',
      command: 'npm run bench',
      machine: { cpu: 'test' },
      runs: 3,
      scenarios: [s2],
      targets: evaluateTargets([s2]),
    };
    const markdown = renderMarkdown(report);
    assert.match(markdown, /\| aria2c \| -x 4 \| 40 \| 2\.50 \| .* \| 0\.98× \|/);
    assert.match(markdown, /\| ferry \| 4 connections \| 39 \(38–40\) \|/);
    const doc = `# Title\n\nintro\n\n${DOC_START}\nold\n${DOC_END}\n\nafter\n`;
    const updated = replaceDocSection(doc, markdown);
    assert.ok(updated.startsWith('# Title\n\nintro\n\n'));
    assert.ok(updated.endsWith(`${DOC_END}\n\nafter\n`));
    assert.ok(!updated.includes('\nold\n'));
    assert.throws(
      () => replaceDocSection('no markers', markdown),
      /no <!-- bench:results:start -->/,
    );
  });
});
