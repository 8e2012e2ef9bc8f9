import type { ExtensionRef } from '../../app/index.js';
import { isExtensionId } from '../../app/index.js';

/**
 * Who started the native host, from the arguments the browser gives it.
 *
 * Chromium-based browsers pass the caller's origin, `chrome-extension://<id>/` (and on
 * Windows a `--parent-window=<hwnd>` argument); Firefox passes the path of the host's manifest
 * and then the add-on's id. Only an extension can call `connectNative`, and the browser
 * starts the host only for ids its manifest allows, but the host still checks: anything
 * else (a web page's origin, a hand-typed command, a malformed id) is no caller at all.
 */
export function callerFromArgs(args: readonly string[]): ExtensionRef | null {
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const chromium = positional
    .map((arg) => /^chrome-extension:\/\/([a-p]{32})\/?$/.exec(arg)?.[1])
    .find((id) => id !== undefined);
  if (chromium !== undefined) return { browser: 'chromium', extensionId: chromium };
  // Firefox: <manifest path> <add-on id>; the manifest path is a .json file.
  const [manifest, id] = positional;
  if (
    manifest !== undefined &&
    id !== undefined &&
    positional.length === 2 &&
    manifest.toLowerCase().endsWith('.json') &&
    isExtensionId('firefox', id)
  ) {
    return { browser: 'firefox', extensionId: id };
  }
  return null;
}
