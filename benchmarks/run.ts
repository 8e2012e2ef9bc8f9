// `npm run bench`: Ferry's engine against curl, wget, aria2c and a bare Node client on a
// loopback file server, scenario by scenario, with a Markdown report and raw JSON.
//
//   npm run bench -- --scenario 2 --runs 3
//   npm run bench -- --quick
//
// Everything runs under one temporary folder that is removed at the end (and on Ctrl-C); every
// child is killed if the runner stops; the server lives in this process and dies with it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { parseBenchOptions, USAGE } from './options.js';
import { renderMarkdown, replaceDocSection } from './report/markdown.js';
import { evaluateTargets } from './report/targets.js';
import type { BenchContext } from './scenarios/context.js';
import { formatBytes } from './scenarios/context.js';
import { runScenario1 } from './scenarios/s1-unthrottled.js';
import { runScenario2 } from './scenarios/s2-throttled.js';
import { runScenario3 } from './scenarios/s3-small-files.js';
import { runScenario4 } from './scenarios/s4-queued-jobs.js';
import { runScenario5 } from './scenarios/s5-crash-resume.js';
import { describeMachine, ensurePeers } from './setup.js';
import { killAllChildren, REPO_ROOT } from './support/child.js';
import { startFileServer } from './support/file-server.js';
import { createTempRoot } from './support/files.js';
import type { BenchReport, ScenarioResult } from './types.js';

const SCENARIOS: Readonly<Record<number, (ctx: BenchContext) => Promise<ScenarioResult>>> = {
  1: runScenario1,
  2: runScenario2,
  3: runScenario3,
  4: runScenario4,
  5: runScenario5,
};

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** Prints the report, saves it under benchmarks/results (when new) and, if asked, into the doc. */
async function publish(report: BenchReport, writeDoc: boolean, save: boolean): Promise<void> {
  const markdown = renderMarkdown(report);
  process.stdout.write(`${markdown}\n`);
  if (save) {
    const resultsDir = join(REPO_ROOT, 'benchmarks', 'results');
    mkdirSync(resultsDir, { recursive: true });
    const stamp = report.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
    writeFileSync(join(resultsDir, `bench-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(resultsDir, `bench-${stamp}.md`), `${markdown}\n`);
    log(`raw results: benchmarks/results/bench-${stamp}.json (and .md)`);
  }
  if (writeDoc) {
    const docPath = join(REPO_ROOT, 'docs', 'benchmarks.md');
    // Formatted as `npm run format:check` wants it, so the regenerated doc needs no touch-up.
    const doc = replaceDocSection(readFileSync(docPath, 'utf8'), markdown);
    const config = (await resolveConfig(docPath)) ?? {};
    writeFileSync(docPath, await format(doc, { ...config, filepath: docPath }));
    log('docs/benchmarks.md updated');
  }
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.fromJson !== null) {
    // Targets are judged again, so a saved run shows under the current rules.
    const saved = JSON.parse(readFileSync(options.fromJson, 'utf8')) as BenchReport;
    const report = { ...saved, targets: evaluateTargets(saved.scenarios) };
    await publish(report, options.writeDoc, false);
    return 0;
  }
  if (!options.skipSetup) ensurePeers(log);

  const temp = createTempRoot();
  const cleanup = (): void => {
    killAllChildren();
    temp.cleanup();
  };
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping, cleaning up`);
      cleanup();
      process.exit(130);
    });
  }
  const servedDir = temp.dir('served');
  const server = await startFileServer({ root: servedDir });
  const startedAt = new Date().toISOString();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  log(
    `${command}: scenarios ${options.scenarios.join(', ')}, ${options.runs} run(s) each; scenario 2 at ${formatBytes(options.sizes.s2Bytes)}; temp ${temp.path}`,
  );
  const results: ScenarioResult[] = [];
  try {
    for (const id of options.scenarios) {
      const run = SCENARIOS[id];
      if (run === undefined) continue;
      const ctx: BenchContext = {
        server,
        temp,
        servedDir,
        runs: options.runs,
        sizes: options.sizes,
        log,
      };
      results.push(await run(ctx));
    }
  } finally {
    await server.close();
  }
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command,
    machine: describeMachine(),
    runs: options.runs,
    scenarios: results,
    targets: evaluateTargets(results),
  };
  await publish(report, options.writeDoc, true);
  const failed = results.some((result) => result.rows.some((row) => row.failures.length > 0));
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
