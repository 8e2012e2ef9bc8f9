import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds dist/extension (what `npm run build:extension` does) before any test loads it. */
export default function globalSetup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['extension/build/build.mjs'], { cwd: root, stdio: 'inherit' });
}
