// The built CLI (dist/cli) starts at once because `ferry --help` and a usage error load only
// the command definitions: the engine (libsql, the HTTP stack) loads for `ferry serve`, and
// the WebSocket client when a command first connects. This reads the bundle's static import
// graph and checks that split, which a stray static import would silently undo.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureBuiltCli } from '../support/built-cli.js';
import { REPO_ROOT } from '../support/child-process.js';

const CLI_DIR = join(REPO_ROOT, 'dist', 'cli');
const run = promisify(execFile);

/** The files `entry` loads before running: itself and its static imports, transitively. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(CLI_DIR, file), 'utf8');
    // Static imports and re-exports of sibling chunks (import() calls are not followed).
    for (const match of text.matchAll(
      /(?:^|[;}\n])\s*(?:import|export)\s*[^'"();]*?from\s*["']\.\/([^"']+)["']|(?:^|[;}\n])\s*import\s*["']\.\/([^"']+)["']/g,
    )) {
      const next = match[1] ?? match[2];
      if (next !== undefined) visit(next);
    }
  };
  visit(entry);
  return seen;
}

describe('the built CLI', () => {
  ensureBuiltCli();
  const chunks = readdirSync(CLI_DIR).filter((name) => name.endsWith('.mjs'));
  const text = (file: string): string => readFileSync(join(CLI_DIR, file), 'utf8');

  it('loads neither the engine nor the WebSocket client before a command needs them', () => {
    const loaded = staticClosure('ferry.mjs');
    const engine = chunks.filter((file) => /["']libsql["']/.test(text(file)));
    const websocket = chunks.filter((file) => text(file).includes('Sec-WebSocket-Key'));
    assert.ok(engine.length > 0, 'no chunk imports libsql: is the engine still in the build?');
    assert.ok(websocket.length > 0, 'no chunk holds the WebSocket client');
    assert.deepEqual(
      [...loaded].filter((file) => engine.includes(file) || websocket.includes(file)),
      [],
      `ferry.mjs statically loads ${[...loaded].join(', ')}`,
    );
  });

  it('reports the version baked in at build time', async () => {
    const pkg: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.ok(typeof pkg === 'object' && pkg !== null && 'version' in pkg);
    const { stdout } = await run(process.execPath, [join(CLI_DIR, 'ferry.mjs'), '--version']);
    assert.equal(stdout.trim(), pkg.version);
  });
});
