/**
 * The report as Markdown: one table per scenario (medians with min–max, Ferry's ratio to each
 * peer), then the targets with PASS/MISS. The same text goes to the terminal and, with
 * --write-doc, into docs/benchmarks.md between its result markers.
 */
import {
  formatRatio,
  formatSummary,
  megabytesPerSecond,
  ratio,
  summarize,
} from '../support/stats.js';
import type { BenchReport, Row, ScenarioResult } from '../types.js';
import { rowThroughput } from './targets.js';

/** Markers around the generated section of docs/benchmarks.md. */
export const DOC_START = '<!-- bench:results:start -->';
export const DOC_END = '<!-- bench:results:end -->';

/** Extra columns a scenario shows: key in Sample.extra, header, decimals. */
const EXTRA_COLUMNS: Readonly<Record<number, readonly (readonly [string, string, number])[]>> = {
  1: [['serverCpuSeconds', 'server CPU s', 2]],
  2: [['connections', 'connections opened', 0]],
  3: [
    ['connections', 'connections opened', 0],
    ['requests', 'requests', 0],
  ],
  4: [
    ['createMs', 'create all (ms)', 0],
    ['createPerJobMs', 'create per job (ms)', 2],
    ['restoreMs', 'restore (ms)', 0],
    ['rssMB', 'RSS (MB)', 0],
    ['idleCpuPercent', 'idle CPU (%)', 2],
  ],
  5: [
    ['killedAtMiB', 'killed at (MiB)', 1],
    ['fetchedTwiceMiB', 'fetched twice (MiB)', 1],
  ],
};

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** Column titles of the Ferry ratios of a scenario (none for 4 and 5, which are not about speed). */
function ferryRatioTitles(result: ScenarioResult): string[] {
  if (result.id === 4 || result.id === 5) return [];
  if (result.id === 2) return ['Ferry at same N ÷ this'];
  return result.rows
    .filter((row) => row.tool === 'ferry')
    .map((ferry) => `Ferry ${ferry.mode} ÷ this`);
}

/** The Ferry rows a row is compared with, in the order of `ferryRatioTitles`. */
function ferryReferences(result: ScenarioResult, row: Row): (Row | undefined)[] {
  const ferries = result.rows.filter((candidate) => candidate.tool === 'ferry');
  if (result.id === 2) return [ferries.find((ferry) => ferry.connections === row.connections)];
  return ferries;
}

function scenarioSection(result: ScenarioResult): string {
  const params = Object.entries(result.params)
    .map(([key, value]) => `${key}: ${value}`)
    .join(' · ');
  const extras = EXTRA_COLUMNS[result.id] ?? [];
  const throughputColumns = result.id !== 4;
  const refLabels = ferryRatioTitles(result);
  const header = [
    'tool',
    'mode',
    ...(throughputColumns ? ['MB/s', 'wall (s)', 'CPU s/GiB'] : []),
    ...extras.map(([, title]) => title),
    ...refLabels,
  ];
  const rows = result.rows.map((row) => {
    const ok = row.failures.length === 0;
    const stat = (values: number[], digits: number): string =>
      ok ? formatSummary(summarize(values), digits) : 'FAILED';
    const samples = row.samples;
    const cols = [row.tool, row.mode];
    if (throughputColumns) {
      cols.push(
        stat(
          samples.map((s) => megabytesPerSecond(s.bytes, s.wallMs)),
          0,
        ),
        stat(
          samples.map((s) => s.wallMs / 1000),
          2,
        ),
        stat(
          samples.map((s) => s.cpuSeconds / (s.bytes / 2 ** 30)),
          2,
        ),
      );
    }
    for (const [key, , digits] of extras)
      cols.push(
        stat(
          samples.map((s) => s.extra?.[key] ?? Number.NaN),
          digits,
        ),
      );
    if (refLabels.length > 0) {
      for (const ferry of ferryReferences(result, row)) {
        cols.push(
          ferry === row ? '—' : formatRatio(ratio(rowThroughput(ferry), rowThroughput(row))),
        );
      }
    }
    return cols;
  });
  const failures = result.rows.flatMap((row) =>
    row.failures.map(
      (failure) => `- **${row.tool} ${row.mode} failed:** ${failure.split('\n')[0] ?? ''}`,
    ),
  );
  const commands = result.rows.map((row) => `- ${row.tool} ${row.mode}: \`${row.command}\``);
  const notes = result.notes.map((note) => `- ${note}`);
  return [
    `### Scenario ${result.id}: ${result.title}`,
    '',
    params,
    '',
    table(header, rows),
    '',
    ...(failures.length > 0 ? [...failures, ''] : []),
    ...(notes.length > 0 ? [...notes, ''] : []),
    '<details><summary>Commands</summary>',
    '',
    ...commands,
    '',
    '</details>',
  ].join('\n');
}

/** The whole report as Markdown (starts with a level-2 heading). */
export function renderMarkdown(report: BenchReport): string {
  const machine = Object.entries(report.machine)
    .map(([key, value]) => `- ${key}: ${value}`)
    .join('\n');
  const targets = table(
    ['#', 'target', 'measured', 'required', 'result', 'margin'],
    report.targets.map((t) => [
      String(t.scenario),
      t.target,
      t.measured,
      t.required,
      t.pass ? 'PASS' : 'MISS',
      t.margin,
    ]),
  );
  const passed = report.targets.filter((t) => t.pass).length;
  return [
    `## Results of ${report.startedAt.slice(0, 10)}`,
    '',
    `Command: \`${report.command}\` · started ${report.startedAt} · finished ${report.finishedAt} · ${report.runs} run(s) per tool and mode.`,
    'Figures are medians with min–max over the runs; MB/s is 10^6 bytes per second; a ratio above 1 means Ferry was faster.',
    '',
    machine,
    '',
    `### Targets: ${passed} of ${report.targets.length} pass`,
    '',
    targets,
    '',
    ...report.scenarios.map((scenario) => `${scenarioSection(scenario)}\n`),
  ].join('\n');
}

/** Replaces the generated section of a document (between the markers) with `section`. */
export function replaceDocSection(doc: string, section: string): string {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`the document has no ${DOC_START} … ${DOC_END} section to replace`);
  }
  return `${doc.slice(0, start + DOC_START.length)}\n\n${section.trim()}\n\n${doc.slice(end)}`;
}
