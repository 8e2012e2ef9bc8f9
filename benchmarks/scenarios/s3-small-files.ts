/**
 * Scenario 3: thousands of small files in one job against aria2c -j16 -i and curl -Z
 * --parallel-max 16 (plus wget -i, sequential, and the bare Node client over 16 keep-alive
 * connections). Ferry's job records are checked after an engine restart before Complete. Ferry
 * also runs as users run it: one `ferry transfer` with every URL, against a running server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { aria2List, commandLine, curlParallel, wgetList } from '../peers/cli-tools.js';
import { createFerryCli, FERRY_CLI_NOTE, ferryTransferCommandLine } from '../peers/ferry-cli.js';
import type { PeerCommand, PeerFile } from '../peers/cli-tools.js';
import {
  measureInto,
  newRow,
  PeerFailure,
  runFerryChild,
  runNodeClient,
  runPeerCommand,
} from '../peers/launch.js';
import type { Measurement } from '../peers/launch.js';
import { generateFileSync, verifyDownloads } from '../support/files.js';
import type { ServedFile } from '../support/files.js';
import type { Row, Sample, ScenarioResult } from '../types.js';
import { formatBytes } from './context.js';
import type { BenchContext } from './context.js';

/** Row modes the targets look up. */
export const S3 = {
  ferry: 'one job',
  cli: 'CLI, one job',
  curl: '-Z --parallel-max 16',
  aria2: '-j 16 -i',
} as const;

const PARALLEL = 16;
const TIMEOUT_MS = 10 * 60_000;

/** Runs scenario 3. */
export async function runScenario3(ctx: BenchContext): Promise<ScenarioResult> {
  const { s3Files: count, s3FileBytes: size } = ctx.sizes;
  ctx.server.setThrottle(0);
  ctx.log(`scenario 3: generating ${count} files of ${formatBytes(size)}`);
  const served: ServedFile[] = [];
  for (let index = 0; index < count; index += 1) {
    served.push(generateFileSync(ctx.servedDir, `s3-${String(index).padStart(5, '0')}.bin`, size));
  }
  const files: PeerFile[] = served.map((file) => ({
    url: ctx.server.url(file.name),
    name: file.name,
  }));
  const total = count * size;
  const [first] = served;
  if (first === undefined) throw new Error('scenario 3 needs at least one file');
  const cli = createFerryCli({
    temp: ctx.temp,
    log: ctx.log,
    warmUp: { served: first, url: ctx.server.url(first.name) },
  });

  const inFolder = (who: string, run: (dir: string) => Promise<Sample>): Measurement => {
    const dir = ctx.temp.dir(who);
    const out = join(dir, 'out');
    mkdirSync(out);
    return {
      async transfer() {
        const before = {
          connections: ctx.server.connections(),
          requests: ctx.server.requestCount(),
        };
        const sample = await run(dir);
        const extra = {
          ...sample.extra,
          connections: ctx.server.connections() - before.connections,
          requests: ctx.server.requestCount() - before.requests,
        };
        return { ...sample, extra };
      },
      verify: () =>
        verifyDownloads(
          served.map((file) => ({ served: file, downloaded: join(out, file.name) })),
          who,
        ),
      cleanup: () => {
        ctx.temp.remove(dir);
      },
    };
  };
  const peer = (build: (dir: string, listPath: string) => PeerCommand) => (): Measurement =>
    inFolder(build('', '').program, async (dir) => {
      const run = await runPeerCommand(build(join(dir, 'out'), join(dir, 'list.txt')), {
        timeoutMs: TIMEOUT_MS,
      });
      return { bytes: total, wallMs: run.wallMs, cpuSeconds: run.cpuSeconds };
    });
  const curl = (dir: string, list: string) => curlParallel(files, dir, list, PARALLEL);
  const aria2 = (dir: string, list: string) => aria2List(files, dir, list, PARALLEL);
  const wget = (dir: string, list: string) => wgetList(files, dir, list);

  const plan: { row: Row; measure: () => Measurement }[] = [
    {
      row: newRow('ferry', S3.ferry, `one job of ${count} files (addFileSet), engine defaults`),
      measure: () =>
        inFolder('ferry', async (dir) => {
          const { result } = await runFerryChild(
            {
              mode: 'download',
              dataDir: join(dir, 'data'),
              create: true,
              files: files.map((file) => ({
                url: file.url,
                localName: join(dir, 'out', file.name),
              })),
              connectionsPerFile: null,
              reopenBeforeComplete: true,
            },
            dir,
            { timeoutMs: TIMEOUT_MS },
          );
          if (result === undefined) throw new PeerFailure('ferry engine printed no result');
          if (result.recordsChecked !== count) {
            throw new PeerFailure(
              `ferry: ${result.recordsChecked} of ${count} file records persisted`,
            );
          }
          return {
            bytes: result.bytes,
            wallMs: result.wallMs,
            cpuSeconds: result.cpuSeconds,
            peakRssBytes: result.peakRssBytes,
            extra: { transferMs: result.transferMs, recordsChecked: result.recordsChecked },
          };
        }),
    },
    {
      row: newRow(
        'ferry',
        S3.cli,
        ferryTransferCommandLine(`<${count.toLocaleString('en-US')} URLs>`, null),
      ),
      measure: () =>
        inFolder('ferry-cli', async (dir) => {
          const { sample } = await cli.transfer(
            files.map((file) => file.url),
            join(dir, 'out'),
            null,
            total,
            TIMEOUT_MS,
          );
          return sample;
        }),
    },
    { row: newRow('curl', S3.curl, commandLine(curl('<dir>', '<list>'))), measure: peer(curl) },
    {
      row: newRow('aria2c', S3.aria2, commandLine(aria2('<dir>', '<list>'))),
      measure: peer(aria2),
    },
    {
      row: newRow('wget', '-i (sequential)', commandLine(wget('<dir>', '<list>'))),
      measure: peer(wget),
    },
    {
      row: newRow(
        'node',
        `${PARALLEL} keep-alive connections`,
        'node:http Agent({ keepAlive }), 16 workers',
      ),
      measure: () =>
        inFolder('node', (dir) =>
          runNodeClient(
            {
              mode: 'many',
              files: files.map((file) => ({ url: file.url, out: join(dir, 'out', file.name) })),
              concurrency: PARALLEL,
            },
            dir,
            { timeoutMs: TIMEOUT_MS },
          ),
        ),
    },
  ];
  ctx.log('scenario 3: starting ferry serve');
  await cli.start();
  try {
    for (let run = 1; run <= ctx.runs; run += 1) {
      ctx.log(`scenario 3: run ${run}/${ctx.runs}`);
      for (const { row, measure } of plan) await measureInto(row, ctx.log, measure());
    }
  } finally {
    await cli.close();
    for (const file of served) ctx.temp.remove(file.path);
  }
  return {
    id: 3,
    title: `${count.toLocaleString('en-US')} files of ${formatBytes(size)} in one job`,
    params: { files: count, 'file size': formatBytes(size), runs: ctx.runs },
    rows: plan.map((entry) => entry.row),
    notes: [
      'Ferry’s time runs from CreateJob to Complete’s return, minus the restart that checks its records.',
      `${FERRY_CLI_NOTE} Its files are counted from the paths it prints (one per completed file); the records are checked on the engine row.`,
    ],
  };
}
