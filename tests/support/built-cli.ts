// The tests run the `ferry` bin, which runs the built CLI (dist/cli): build it first when it is
// missing or older than the sources, so a test never exercises stale code. Cheap when fresh
// (a walk of the sources' modification times); serialised with any other build by the build's
// own lock, so test files running in parallel build it once.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './child-process.js';

let checked = false;

/** Builds dist/cli if stale (once per test process); throws with the build's output if it fails. */
export function ensureBuiltCli(): void {
  if (checked) return;
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'build.mjs'), 'cli', '--if-stale', '--quiet'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  checked = true;
}
