// Builds the desktop shell for Electron: dist/electron/main.js (ESM, dependencies left to
// node_modules, which electron-builder packs into app.asar) and dist/electron/preload.cjs (one
// CommonJS file, app/ and zod bundled in, only `electron` external), since a sandboxed preload
// cannot load other modules.
//
// Part of `npm run build` (scripts/build.mjs, target `electron`); runs alone as
// `node main/electron/build.mjs`.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const outDir = 'dist/electron';

/** Builds main.js and preload.cjs into `root`/dist/electron. */
export async function buildElectron(root) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: 'main/electron/main.ts',
      outDir,
      emptyOutDir: true,
      target: 'node20',
      sourcemap: false,
      minify: false,
      reportCompressedSize: false,
      rollupOptions: {
        external: ['electron', ...nodeBuiltins],
        output: { format: 'es', entryFileNames: 'main.js' },
      },
    },
  });

  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      target: 'chrome140',
      sourcemap: false,
      minify: false,
      reportCompressedSize: false,
      lib: {
        entry: 'main/electron/preload.ts',
        formats: ['cjs'],
        fileName: () => 'preload.cjs',
      },
      rollupOptions: { external: ['electron'] },
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildElectron(fileURLToPath(new URL('../..', import.meta.url)));
  console.log(`electron build: ${outDir}/main.js and ${outDir}/preload.cjs`);
}
