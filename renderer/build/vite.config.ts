import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { DESKTOP_CSP } from '../../app/csp.js';

/**
 * The renderer's Content-Security-Policy meta tag, built from app/csp.ts so the page, the
 * desktop shell and the server share one policy.
 *
 * `connect-src 'self'` lets the page reach its own host's WebSocket when `ferry serve` serves
 * it. The desktop window loads the page from `app://ferry/` (main/electron/app-protocol.ts),
 * whose every response carries DESKTOP_CSP as a header; a page under two policies must satisfy
 * both, and the header has no `connect-src` (so `default-src 'none'` applies), which leaves
 * the desktop page no connection. That holds because the page is served with the header: a
 * `file:` page may get no header at all, and then only this meta tag would apply.
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
