import { FerryError } from './errors.js';

/**
 * Ferry's Content-Security-Policy, in one place for the renderer's meta tag, the desktop shell
 * and the headless server's header.
 *
 * Starts from `default-src 'none'` and allows only what the UI needs: its own scripts, styles
 * and images (plus `data:` images). `connect-src` is opened only for the server mode's
 * loopback WebSocket; the desktop UI talks through the preload and needs no network at all.
 * See Electron's security checklist ("Define a Content Security Policy") and Fiddle's
 * `static/index.html`.
 */

/** Where a UI page runs: the desktop window, or a browser served by `ferry serve`. */
export type CspMode =
  | { readonly kind: 'desktop' }
  | {
      readonly kind: 'server';
      /** The WebSocket endpoint's origin, e.g. `ws://127.0.0.1:17489`. */
      readonly webSocketOrigin: string;
    };

const BASE_DIRECTIVES: readonly (readonly [string, readonly string[]])[] = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'"]],
  ['img-src', ["'self'", 'data:']],
  ['font-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['frame-src', ["'none'"]],
];

/**
 * The policy string for a mode.
 *
 * A server-mode origin must be a `ws:` or `wss:` origin on a loopback host; anything else
 * throws, since a policy that silently opened the network would defeat its purpose.
 */
export function contentSecurityPolicy(mode: CspMode): string {
  const directives = [...BASE_DIRECTIVES];
  if (mode.kind === 'server') {
    directives.push(['connect-src', ["'self'", loopbackWebSocketOrigin(mode.webSocketOrigin)]]);
  }
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** The desktop window's policy (no network): the renderer's meta tag carries this one. */
export const DESKTOP_CSP = contentSecurityPolicy({ kind: 'desktop' });

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function loopbackWebSocketOrigin(origin: string): string {
  const match = /^(wss?):\/\/([^/:]+|\[::1\]):(\d{1,5})$/.exec(origin);
  const host = match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !LOOPBACK_HOSTS.has(host) || port < 1 || port > 65_535) {
    throw new FerryError(
      'INPUT_INVALID',
      'NONE',
      `CSP connect-src must be a ws: or wss: origin on a loopback host with a port, not '${origin}'`,
    );
  }
  return origin;
}
