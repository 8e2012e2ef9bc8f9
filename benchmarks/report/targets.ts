/**
 * The issue's targets, judged on one run's medians. Only ratios within one run mean anything
 * on a machine that drifts, so every target compares figures measured side by side.
 */
import { S1 } from '../scenarios/s1-unthrottled.js';
import { S3 } from '../scenarios/s3-small-files.js';
import { S5_CONNECTIONS } from '../scenarios/s5-crash-resume.js';
import { formatNumber, median, megabytesPerSecond } from '../support/stats.js';
import type { Row, ScenarioResult, TargetResult } from '../types.js';

/** Median throughput of a row in MB/s (NaN when it has no valid sample or any run failed). */
export function rowThroughput(row: Row | undefined): number {
  if (row === undefined || row.failures.length > 0) return Number.NaN;
  return median(row.samples.map((sample) => megabytesPerSecond(sample.bytes, sample.wallMs)));
}

/** Median CPU seconds per GiB of a row. */
export function rowCpuPerGiB(row: Row | undefined): number {
  if (row === undefined || row.failures.length > 0) return Number.NaN;
  return median(row.samples.map((sample) => sample.cpuSeconds / (sample.bytes / 2 ** 30)));
}

/** Median of one extra figure of a row. */
export function rowExtra(row: Row | undefined, key: string): number {
  if (row === undefined || row.failures.length > 0) return Number.NaN;
  return median(row.samples.map((sample) => sample.extra?.[key] ?? Number.NaN));
}

/** How far a value is past (+) or short of (−) its bar, in percent of the bar. */
export function marginPercent(measured: number, bar: number, higherIsBetter: boolean): number {
  if (!Number.isFinite(measured) || !Number.isFinite(bar) || bar === 0) return Number.NaN;
  return ((higherIsBetter ? measured - bar : bar - measured) / bar) * 100;
}

function judge(
  scenario: number,
  target: string,
  measured: number,
  bar: number,
  higherIsBetter: boolean,
  describe: (value: number) => string,
  strict = false,
): TargetResult {
  const margin = marginPercent(measured, bar, higherIsBetter);
  const pass = Number.isFinite(margin) && (strict ? margin > 0 : margin >= 0);
  return {
    scenario,
    target,
    measured: Number.isFinite(measured) ? describe(measured) : 'no valid run',
    required: `${higherIsBetter ? (strict ? '>' : '≥') : strict ? '<' : '≤'} ${describe(bar)}`,
    pass,
    margin: Number.isFinite(margin)
      ? `${margin >= 0 ? '+' : '−'}${formatNumber(Math.abs(margin), 0)} %`
      : '–',
  };
}

const mbps = (value: number): string => `${formatNumber(value, 0)} MB/s`;

function find(
  result: ScenarioResult,
  tool: string,
  mode?: string,
  connections?: number,
): Row | undefined {
  return result.rows.find(
    (row) =>
      row.tool === tool &&
      (mode === undefined || row.mode === mode) &&
      (connections === undefined || row.connections === connections),
  );
}

/**
 * Scenario 1's targets for one pair of Ferry rows (one connection, default segmentation):
 * the engine in a child, and the same rules again for the CLI rows when the run has them.
 */
function scenario1For(
  result: ScenarioResult,
  one: Row | undefined,
  segmented: Row | undefined,
  label: string,
): TargetResult[] {
  const node = find(result, 'node', S1.nodeSingle);
  const aria1 = find(result, 'aria2c', '-x 1');
  const peers = result.rows.filter((row) => ['curl', 'wget', 'aria2c'].includes(row.tool));
  const fastest = peers.reduce<Row | undefined>(
    (best, row) => (best === undefined || rowThroughput(row) > rowThroughput(best) ? row : best),
    undefined,
  );
  const nodeCpu = rowCpuPerGiB(node);
  const ariaCpu = rowCpuPerGiB(aria1);
  const ferryCpu = rowCpuPerGiB(one);
  return [
    judge(
      1,
      `${label}one connection within 10 % of the bare Node client`,
      rowThroughput(one),
      0.9 * rowThroughput(node),
      true,
      mbps,
    ),
    judge(
      1,
      `${label}one connection ≥ aria2c -x1`,
      rowThroughput(one),
      rowThroughput(aria1),
      true,
      mbps,
    ),
    judge(
      1,
      `${label}default segmentation ≥ 1.1× the fastest peer (${fastest === undefined ? '?' : `${fastest.tool} ${fastest.mode}`})`,
      rowThroughput(segmented),
      1.1 * rowThroughput(fastest),
      true,
      mbps,
    ),
    judge(
      1,
      `${label}CPU s/GiB (one connection) within 1.1× the bare Node client's; ratio to aria2c -x1: ${formatNumber(ferryCpu / ariaCpu, 2)}×`,
      ferryCpu,
      1.1 * nodeCpu,
      false,
      (value) => `${formatNumber(value, 2)} s/GiB`,
    ),
  ];
}

/** Prefix of the targets judged on the CLI rows (`ferry transfer` against `ferry serve`). */
export const CLI_TARGET_LABEL = 'ferry transfer: ';

function scenario1(result: ScenarioResult): TargetResult[] {
  const cliOne = find(result, 'ferry', S1.cliOne);
  const cliDefault = find(result, 'ferry', S1.cliDefault);
  return [
    ...scenario1For(
      result,
      find(result, 'ferry', S1.ferryOne),
      find(result, 'ferry', S1.ferryDefault),
      '',
    ),
    // A saved run from before the CLI rows gets no CLI targets (it never measured them).
    ...(cliOne === undefined && cliDefault === undefined
      ? []
      : scenario1For(result, cliOne, cliDefault, CLI_TARGET_LABEL)),
  ];
}

function scenario2(result: ScenarioResult): TargetResult[] {
  const targets: TargetResult[] = [];
  const single = rowThroughput(find(result, 'ferry', undefined, 1));
  const counts = [...new Set(result.rows.map((row) => row.connections ?? 1))].sort((a, b) => a - b);
  for (const n of counts) {
    const ferry = rowThroughput(find(result, 'ferry', undefined, n));
    if (n > 1)
      targets.push(
        judge(
          2,
          `${n} connections ≥ ${0.95 * n}× one connection`,
          ferry,
          0.95 * n * single,
          true,
          mbps,
        ),
      );
    targets.push(
      judge(
        2,
        `${n} connection${n === 1 ? '' : 's'} ≥ aria2c -x${n}`,
        ferry,
        rowThroughput(find(result, 'aria2c', undefined, n)),
        true,
        mbps,
      ),
    );
  }
  return targets;
}

function scenario3(result: ScenarioResult): TargetResult[] {
  const wall = (row: Row | undefined): number =>
    row === undefined || row.failures.length > 0
      ? Number.NaN
      : median(row.samples.map((sample) => sample.wallMs / 1000));
  const curl = wall(find(result, 'curl', S3.curl));
  const seconds = (value: number): string => `${formatNumber(value, 2)} s`;
  const cli = find(result, 'ferry', S3.cli);
  return [
    judge(
      3,
      'wall time ≤ curl -Z --parallel-max 16, every file record persisted',
      wall(find(result, 'ferry', S3.ferry)),
      curl,
      false,
      seconds,
    ),
    ...(cli === undefined
      ? []
      : [
          judge(
            3,
            `${CLI_TARGET_LABEL}wall time ≤ curl -Z --parallel-max 16, every file saved`,
            wall(cli),
            curl,
            false,
            seconds,
          ),
        ]),
  ];
}

function scenario4(result: ScenarioResult): TargetResult[] {
  const row = result.rows[0];
  return [
    judge(
      4,
      'restore after a restart < 1 s',
      rowExtra(row, 'restoreMs') / 1000,
      1,
      false,
      (v) => `${formatNumber(v, 2)} s`,
      true,
    ),
    judge(
      4,
      'engine RSS < 200 MB',
      rowExtra(row, 'rssMB'),
      200,
      false,
      (v) => `${formatNumber(v, 0)} MB`,
      true,
    ),
    judge(
      4,
      'CPU while idle < 1 %',
      rowExtra(row, 'idleCpuPercent'),
      1,
      false,
      (v) => `${formatNumber(v, 2)} %`,
      true,
    ),
  ];
}

function scenario5(result: ScenarioResult): TargetResult[] {
  return [
    judge(
      5,
      `fetched twice ≤ 1 MiB per connection (${S5_CONNECTIONS} MiB)`,
      rowExtra(find(result, 'ferry'), 'fetchedTwiceMiB'),
      S5_CONNECTIONS,
      false,
      (value) => `${formatNumber(value, 1)} MiB`,
    ),
  ];
}

/** Every target of the scenarios that ran. */
export function evaluateTargets(results: readonly ScenarioResult[]): TargetResult[] {
  const byId = { 1: scenario1, 2: scenario2, 3: scenario3, 4: scenario4, 5: scenario5 } as const;
  return results.flatMap((result) => {
    const judgeScenario = byId[result.id as keyof typeof byId] as
      ((r: ScenarioResult) => TargetResult[]) | undefined;
    return judgeScenario === undefined ? [] : judgeScenario(result);
  });
}
