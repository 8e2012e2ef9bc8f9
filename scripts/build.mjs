// `npm run build`: Ferry as built JavaScript under dist/, from one command.
//
//   cli       dist/cli/ferry.mjs and its chunks: the `ferry` CLI, which is also the server
//             (`ferry serve`); bin/ferry.js runs it (scripts/build/cli.mjs)
//   electron  dist/electron/main.js and preload.cjs: the desktop shell (main/electron/build.mjs)
//   renderer  dist/renderer/: the window, for both shells (renderer/build/vite.config.ts)
//   icons     dist/icons/: app, window and tray icons from assets/icons (scripts/build/icons.mjs)
//
// Usage: node scripts/build.mjs [TARGET…] [--if-stale] [--quiet]
//   no TARGET builds all four; --if-stale skips a target whose stamp is newer than all of its
//   inputs (how `npm start`, `npm run ferry` and the tests call it). Builds are serialised by a
//   lock in dist/.build, so concurrent callers never write the same files at once.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import console from 'node:console';
import { fileURLToPath } from 'node:url';
import { clearStamp, isFresh, withBuildLock, writeStamp } from './build/freshness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SHARED = ['app', 'package.json', 'package-lock.json', 'scripts/build.mjs'];

/** What each target reads and writes, and how it is built (loaded only when built). */
export const TARGETS = [
  {
    name: 'cli',
    inputs: [
      ...SHARED,
      'main/cli',
      'main/server',
      'main/host',
      'main/engine',
      'main/native-host',
      'scripts/build/cli.mjs',
    ],
    outputs: ['dist/cli/ferry.mjs'],
    run: async () => (await import('./build/cli.mjs')).buildCli(root, packageVersion()),
  },
  {
    name: 'electron',
    inputs: [...SHARED, 'main', 'main/electron/build.mjs'],
    outputs: ['dist/electron/main.js', 'dist/electron/preload.cjs'],
    run: async () => (await import('../main/electron/build.mjs')).buildElectron(root),
  },
  {
    name: 'renderer',
    inputs: [...SHARED, 'renderer'],
    outputs: ['dist/renderer/index.html'],
    run: async () => {
      const { build } = await import('vite');
      // The config's paths are relative to the repository root.
      process.chdir(root);
      await build({ configFile: 'renderer/build/vite.config.ts', logLevel: 'warn' });
    },
  },
  {
    name: 'icons',
    inputs: ['assets/icons', 'scripts/build/icons.mjs'],
    outputs: ['dist/icons/app/icon.png', 'dist/icons/tray/idle.png'],
    run: async () => (await import('./build/icons.mjs')).buildIcons(root),
  },
];

function packageVersion() {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
}

/** Builds `names` (all when empty); with ifStale, only those whose inputs changed. */
export async function build(names, { ifStale = false, quiet = false } = {}) {
  const unknown = names.filter((name) => !TARGETS.some((target) => target.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `build: unknown target ${unknown.join(', ')} (${TARGETS.map((t) => t.name).join(', ')})`,
    );
  }
  const chosen = TARGETS.filter((target) => names.length === 0 || names.includes(target.name));
  // A quick look without the lock: nothing to do is the common case.
  if (ifStale && chosen.every((target) => isFresh(root, target))) return [];
  return withBuildLock(root, async () => {
    const built = [];
    for (const target of chosen) {
      // Checked again under the lock: another process may just have built it.
      if (ifStale && isFresh(root, target)) continue;
      const startedAt = Date.now();
      clearStamp(root, target);
      await target.run();
      writeStamp(root, target, startedAt);
      built.push(target.name);
      if (!quiet) console.log(`build: ${target.name} (${Date.now() - startedAt} ms)`);
    }
    return built;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const names = args.filter((arg) => !arg.startsWith('--'));
  const flags = args.filter((arg) => arg.startsWith('--'));
  const known = ['--if-stale', '--quiet'];
  const bad = flags.find((flag) => !known.includes(flag));
  if (bad !== undefined) {
    console.error(`build: unknown option ${bad} (${known.join(', ')})`);
    process.exit(2);
  }
  try {
    await build(names, { ifStale: flags.includes('--if-stale'), quiet: flags.includes('--quiet') });
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  }
}
