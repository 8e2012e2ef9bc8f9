import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where the desktop shell's files are, from the directory of the built main script.
 *
 * `npm run build:electron` writes `dist/electron/main.js` and `dist/electron/preload.cjs`, and
 * the renderer build writes `dist/renderer/index.html` (the folder `ferry serve` serves too);
 * packaging keeps that layout inside app.asar. In development `FERRY_RENDERER_URL` may point at the Vite dev server instead.
 */
export interface DesktopPaths {
  readonly preload: string;
  /** The page's file (meaningful when `rendererUrl` is a `file:` URL). */
  readonly rendererFile: string;
  /** The URL the window loads; IPC senders must be on this page. */
  readonly rendererUrl: string;
  readonly icon: string;
}

/** The paths for a main script in `mainDir`; `devRendererUrl` only outside packaged builds. */
export function desktopPaths(mainDir: string, devRendererUrl: string | undefined): DesktopPaths {
  const rendererDir = join(mainDir, '..', 'renderer');
  const rendererFile = join(rendererDir, 'index.html');
  return {
    preload: join(mainDir, 'preload.cjs'),
    rendererFile,
    rendererUrl:
      devRendererUrl !== undefined &&
      /^https?:\/\/(127\.0\.0\.1|localhost):\d+\/?$/.test(devRendererUrl)
        ? devRendererUrl
        : pathToFileURL(rendererFile).href,
    icon: join(rendererDir, 'icon.png'),
  };
}
