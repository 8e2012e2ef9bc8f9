import { join } from 'node:path';

/**
 * Where the desktop shell's files are, from the directory of the built main script.
 *
 * `npm run build:electron` writes `dist/electron/main.js` and `dist/electron/preload.cjs`, and
 * the renderer build writes `dist/renderer/` (the folder `ferry serve` serves too); packaging
 * keeps that layout inside app.asar. The window loads the renderer from the app's own origin
 * (app-protocol.ts), or in development from the Vite dev server named by `FERRY_RENDERER_URL`.
 */
export interface DesktopPaths {
  readonly preload: string;
  /** The built renderer folder, served under the app's origin. */
  readonly rendererDir: string;
  /** A loopback dev-server URL to load instead (development only), or null. */
  readonly devRendererUrl: string | null;
}

/** The paths for a main script in `mainDir`; `devRendererUrl` only outside packaged builds. */
export function desktopPaths(mainDir: string, devRendererUrl: string | undefined): DesktopPaths {
  return {
    preload: join(mainDir, 'preload.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
    devRendererUrl:
      devRendererUrl !== undefined &&
      /^https?:\/\/(127\.0\.0\.1|localhost):\d+\/?$/.test(devRendererUrl)
        ? devRendererUrl
        : null,
  };
}
