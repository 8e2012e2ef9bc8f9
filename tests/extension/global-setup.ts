import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds what the tests load: the extension (`npm run build:extension`), and the CLI and the
 * window when stale (the native host and `ferry serve` run the built CLI).
 */
export default function globalSetup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const node = (args: string[]): void => {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  };
  node(['scripts/build.mjs', 'cli', 'renderer', '--if-stale', '--quiet']);
  node(['extension/build/build.mjs']);
}
