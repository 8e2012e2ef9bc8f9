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
import { builtinModules } from 'node:module';
import { build } from 'vite';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Modules left to node_modules: libsql (native) and ws's optional native helpers. */
export const CLI_EXTERNALS = ['libsql', 'bufferutil', 'utf-8-validate'];

/** Project sources that only declare things (no work at import time). */
const SIDE_EFFECT_FREE = /[\\/](app|main[\\/]engine)[\\/][^\\]*\.ts$/;

/** Builds dist/cli; `version` is baked in (FERRY_BUILD_VERSION, see main/cli/version.ts). */
export async function buildCli(root, version) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    define: { FERRY_BUILD_VERSION: JSON.stringify(version) },
    ssr: { noExternal: true, external: CLI_EXTERNALS },
    build: {
      ssr: 'main/cli/ferry.ts',
      outDir: 'dist/cli',
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
          entryFileNames: 'ferry.mjs',
          chunkFileNames: '[name]-[hash].mjs',
        },
      },
    },
  });
}
