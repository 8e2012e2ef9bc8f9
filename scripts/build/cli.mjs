// Builds the `ferry` CLI (which is also the server: `ferry serve`) into dist/cli as bundled
// ES modules: ferry.mjs and the chunks it loads on demand (the engine and the server load
// only for `ferry serve` and the commands that need them, so `ferry --help` and `ferry list`
// parse one small file).
//
// Every dependency is bundled except libsql, whose Node-API binary is picked at run time
// from @libsql/<platform>-<arch>. The files are .mjs, so they stay ES modules wherever they
// are copied (the packaged app runs them from app.asar.unpacked, with no package.json above).
// Chunks sit beside ferry.mjs: the sources find package.json, dist/renderer and the built CLI
// through paths relative to their own file (../../x), which resolve alike from main/cli/*.ts
// and from dist/cli/*.mjs.
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';

const ENTRY = 'ferry.mjs';
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Modules left to node_modules: libsql (native) and ws's optional native helpers. */
export const CLI_EXTERNALS = ['libsql', 'bufferutil', 'utf-8-validate'];

/** Project sources that only declare things (no work at import time). */
const SIDE_EFFECT_FREE = /[\\/](app|main[\\/]engine)[\\/][^\\]*\.ts$/;

/** Where a build is written before it replaces dist/cli. */
const STAGING = 'dist/.build/cli-next';
/** How long a chunk that no build references any more is kept for CLIs still running. */
const STALE_CHUNK_MS = 10 * 60_000;

/**
 * Builds dist/cli; `version` is baked in (FERRY_BUILD_VERSION, see main/cli/version.ts).
 *
 * The build never empties dist/cli: CLIs and servers started from it (a test's, a user's) may
 * be running and load chunks later. It is written to a staging folder, its chunks (content-
 * hashed names) are copied in beside the old ones, ferry.mjs is swapped in with a rename, and
 * only chunks unreferenced for a while are removed.
 */
export async function buildCli(root, version) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    define: { FERRY_BUILD_VERSION: JSON.stringify(version) },
    ssr: { noExternal: true, external: CLI_EXTERNALS },
    build: {
      ssr: 'main/cli/ferry.ts',
      outDir: STAGING,
      emptyOutDir: true,
      target: 'node20',
      sourcemap: false,
      minify: true,
      reportCompressedSize: false,
      // The server chunk (engine, undici) is big by nature, and loads only for `ferry serve`.
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        external: [...CLI_EXTERNALS, ...nodeBuiltins],
        // app/ and the engine are declarations with no import-time effects: a command that uses
        // defaultDataDir or readEngineHolder from main/engine/index.ts gets those few modules,
        // not the engine with its SQLite binary and HTTP stack (those load in `ferry serve`).
        treeshake: { moduleSideEffects: (id, external) => external || !SIDE_EFFECT_FREE.test(id) },
        output: {
          format: 'es',
          entryFileNames: ENTRY,
          chunkFileNames: '[name]-[hash].mjs',
        },
      },
    },
  });
  publish(join(root, STAGING), join(root, 'dist', 'cli'));
}

function publish(staging, target) {
  mkdirSync(target, { recursive: true });
  const fresh = readdirSync(staging);
  for (const name of fresh) {
    if (name !== ENTRY) copyFileSync(join(staging, name), join(target, name));
  }
  // A rename replaces the entry at once: a CLI starting now reads the old one or the new one.
  copyFileSync(join(staging, ENTRY), join(target, `.${ENTRY}.next`));
  renameSync(join(target, `.${ENTRY}.next`), join(target, ENTRY));
  const now = Date.now();
  for (const name of readdirSync(target)) {
    if (fresh.includes(name)) continue;
    const path = join(target, name);
    if (now - statSync(path).mtimeMs > STALE_CHUNK_MS) rmSync(path, { force: true });
  }
  rmSync(staging, { recursive: true, force: true });
}
