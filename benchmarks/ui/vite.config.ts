import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Builds the benchmark page (the renderer plus an in-page fake host) into dist/bench-ui. */
export default defineConfig({
  root: 'benchmarks/ui/page',
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: '../../../dist/bench-ui',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
  },
});
