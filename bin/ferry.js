#!/usr/bin/env node
// The `ferry` bin: runs the built CLI, dist/cli/ferry.mjs (`npm run build`). No TypeScript is
// compiled at run time, so a command starts about as fast as Node itself.
//
// In a source checkout where the build is missing (right after `npm ci`), it builds the CLI
// once first. It does not check whether the build is older than the sources (that would cost
// every command a walk of the tree): `npm run build`, `npm start`, `npm run ferry` and the
// tests rebuild what is stale.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/ferry.mjs', import.meta.url);
// Node 22.1+: keep V8's compiled code between runs (a no-op where unsupported).
module.enableCompileCache?.();

if (!existsSync(entry)) {
  const build = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  if (!existsSync(build)) {
    process.stderr.write(`ferry: ${fileURLToPath(entry)} is missing (NOT_BUILT)\n`);
    process.exit(1);
  }
  process.stderr.write('ferry: building the CLI first (dist/cli is missing)\n');
  const result = spawnSync(process.execPath, [build, 'cli', '--quiet'], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write("ferry: the build failed; run 'npm run build' to see why (NOT_BUILT)\n");
    process.exit(1);
  }
}
await import(entry.href);
