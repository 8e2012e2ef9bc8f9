// Builds the desktop shell for Electron: dist/electron/main.js (ESM, dependencies left to
// node_modules) and dist/electron/preload.cjs (one CommonJS file, app/ and zod bundled in,
// only `electron` external), since a sandboxed preload cannot load other modules.
// The renderer is built on its own (vite, into dist/renderer).
//
// Usage: node main/electron/build.mjs   (npm run build:electron)
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = 'dist/electron';
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

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
    lib: {
      entry: 'main/electron/preload.ts',
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});

console.log(`electron build: ${outDir}/main.js and ${outDir}/preload.cjs`);
