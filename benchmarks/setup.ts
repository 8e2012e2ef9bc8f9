/**
 * Benchmark setup: makes sure curl, wget and aria2c are installed (with apt-get when running
 * as root, otherwise says what to install), and describes the machine for the report.
 */
import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';

/** The native peers and their Debian packages. */
export const PEER_PACKAGES: Readonly<Record<string, string>> = {
  curl: 'curl',
  wget: 'wget',
  aria2c: 'aria2',
};

function has(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

function firstLine(program: string, args: readonly string[]): string {
  const run = spawnSync(program, args, { encoding: 'utf8', timeout: 10_000 });
  return (run.stdout || run.stderr || '').split('\n')[0]?.trim() ?? '';
}

/**
 * Installs the missing peers; throws with the install command when it cannot (not root, no
 * apt-get, or the install failed).
 */
export function ensurePeers(log: (line: string) => void): void {
  const missing = Object.keys(PEER_PACKAGES).filter((program) => !has(program));
  if (missing.length === 0) return;
  const packages = missing.map((program) => PEER_PACKAGES[program] ?? program);
  const install = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !has('apt-get')) {
    throw new Error(`missing ${missing.join(', ')}: install them first (as root: ${install})`);
  }
  log(`setup: installing ${packages.join(', ')}`);
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const run = spawnSync('apt-get', args, {
      stdio: 'inherit',
      timeout: 10 * 60_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (run.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed; run "${install}" by hand`);
  }
  const still = missing.filter((program) => !has(program));
  if (still.length > 0) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
}

/** The machine and tool versions, for the report (figures only compare within one machine). */
export function describeMachine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: `Linux ${release()}`,
    node: process.version,
    curl: firstLine('curl', ['--version']),
    wget: firstLine('wget', ['--version']),
    aria2c: firstLine('aria2c', ['--version']),
  };
}
