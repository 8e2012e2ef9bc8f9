// `npm run bench:startup`: how fast the built `ferry` starts, against `node -e 0` (Node's own
// start-up, the floor) and curl, on a loopback file server:
//
//   ferry --help                   no server involved
//   ferry list                     against a running server
//   ferry transfer (10 MiB)        against a running server
//   ferry transfer (10 MiB), cold  no server running: the CLI starts one in the background
//
// Runs are interleaved (one of each, N times) so a busy machine slows all alike; the report
// gives medians with min-max and checks the targets of issue 10. Usage:
//   npm run bench:startup -- [--runs N] [--bin PATH]
// --bin measures another checkout's `ferry` bin (e.g. an older commit's, to compare).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildFerryCli, FERRY_BIN } from './peers/ferry-cli.js';
import { startFileServer } from './support/file-server.js';
import { createTempRoot, generateFileSync, sha256File } from './support/files.js';
import { formatNumber, summarize } from './support/stats.js';

const FERRY = binOption(process.argv.slice(2)) ?? FERRY_BIN;
const MIB = 1024 * 1024;

function binOption(argv: readonly string[]): string | null {
  const at = argv.indexOf('--bin');
  if (at === -1) return null;
  const bin = argv[at + 1];
  if (bin === undefined) throw new Error('--bin takes the path of a ferry bin');
  return resolve(bin);
}

function parseRuns(argv: readonly string[]): number {
  const at = argv.indexOf('--runs');
  if (at === -1) return 15;
  const runs = Number(argv[at + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number >= 1');
  return runs;
}

/**
 * Runs a command to its end and returns its wall time in ms; a failure stops the benchmark.
 * Asynchronous: the file server lives in this process and must keep answering meanwhile.
 */
function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${command} ${args.join(' ')} failed (${String(code)}): ${stderr}`));
    });
  });
}

function hasCurl(): boolean {
  return spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Stops the server of a data directory and waits until its process is gone. */
async function stopServer(dataDir: string): Promise<void> {
  const record: unknown = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'));
  if (typeof record !== 'object' || record === null || !('pid' in record)) return;
  const pid = Number(record.pid);
  process.kill(pid, 'SIGTERM');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2));
  buildFerryCli();
  const temp = createTempRoot();
  const served = temp.dir('served');
  const file = generateFileSync(served, 'file-10MiB.bin', 10 * MIB);
  const server = await startFileServer({ root: served });
  const warmData = temp.dir('data-warm');
  const base = { ...process.env, FORCE_COLOR: '0' };
  const warmEnv = { ...base, FERRY_DATA_DIR: warmData };
  const samples: Record<string, number[]> = {};
  const add = (name: string, ms: number): void => {
    (samples[name] ??= []).push(ms);
  };
  try {
    // Start the warm server once (not measured) and check a download is right.
    const check = temp.dir('check');
    await timed(
      process.execPath,
      [FERRY, '--port', '0', 'transfer', server.url(file.name), '--dest', check],
      warmEnv,
    );
    if ((await sha256File(join(check, file.name))) !== file.sha256)
      throw new Error('corrupt download');
    const curl = hasCurl();
    for (let run = 1; run <= runs; run++) {
      add('node -e 0', await timed(process.execPath, ['-e', '0'], base));
      add('ferry --help', await timed(process.execPath, [FERRY, '--help'], warmEnv));
      add('ferry list', await timed(process.execPath, [FERRY, 'list'], warmEnv));
      const warmDest = temp.dir('warm');
      add(
        'ferry transfer 10 MiB',
        await timed(
          process.execPath,
          [FERRY, 'transfer', server.url(file.name), '--dest', warmDest],
          warmEnv,
        ),
      );
      temp.remove(warmDest);
      const coldData = temp.dir('data-cold');
      const coldDest = temp.dir('cold');
      const coldEnv = { ...base, FERRY_DATA_DIR: coldData };
      add(
        'ferry transfer 10 MiB, cold',
        await timed(
          process.execPath,
          [FERRY, '--port', '0', 'transfer', server.url(file.name), '--dest', coldDest],
          coldEnv,
        ),
      );
      await stopServer(coldData);
      temp.remove(coldDest);
      if (curl) {
        const out = join(temp.dir('curl'), 'file');
        add('curl 10 MiB', await timed('curl', ['-s', '-o', out, server.url(file.name)], base));
      }
      process.stderr.write(`run ${String(run)}/${String(runs)}\n`);
    }
  } finally {
    try {
      await stopServer(warmData);
    } catch {
      // no warm server was started
    }
    await server.close();
    temp.cleanup();
  }

  const floor = summarize(samples['node -e 0'] ?? []).median;
  const targets: Record<string, { limit: number; text: string }> = {
    'ferry --help': { limit: 1.5 * floor, text: '≤ 1.5 × node -e 0' },
    'ferry list': { limit: 1.5 * floor, text: '≤ 1.5 × node -e 0' },
    'ferry transfer 10 MiB': { limit: 300, text: '≤ 300 ms' },
    'ferry transfer 10 MiB, cold': { limit: 1000, text: '≤ 1000 ms' },
  };
  const lines = [
    `| command | median ms | min–max ms | × node -e 0 | target |`,
    `| --- | ---: | ---: | ---: | --- |`,
  ];
  for (const [name, values] of Object.entries(samples)) {
    const s = summarize(values);
    const target = targets[name];
    const verdict =
      target === undefined ? '' : `${target.text}: ${s.median <= target.limit ? 'pass' : 'miss'}`;
    lines.push(
      `| \`${name}\` | ${formatNumber(s.median, 0)} | ${formatNumber(s.min, 0)}–${formatNumber(s.max, 0)} | ${formatNumber(s.median / floor, 2)} | ${verdict} |`,
    );
  }
  process.stdout.write(
    `${lines.join('\n')}\n\n${String(runs)} runs each, interleaved; Node ${process.version}; ${FERRY}.\n`,
  );
}

await main();
