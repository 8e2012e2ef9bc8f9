import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { DESKTOP_CSP } from '../../app/csp.js';

/**
 * The renderer's Content-Security-Policy meta tag, built from app/csp.ts so the page, the
 * desktop shell and the server share one policy.
 *
 * `connect-src 'self'` lets the page reach its own host's WebSocket when `ferry serve` serves
 * it; in the desktop window the shell's stricter header still forbids every connection (both
 * policies apply), so the meta tag never widens what the desktop allows.
 */
export const RENDERER_CSP = `${DESKTOP_CSP}; connect-src 'self'`;

function cspMeta(): Plugin {
  return {
    name: 'ferry-csp-meta',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Builds the renderer for both shells into dist/renderer (paths are relative to the repository
 * root, where npm runs scripts): `base: './'` so the same files load from the desktop app's
 * own protocol and from `ferry serve`.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline module-preload polyfill: the CSP allows no inline script.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
