// The layer boundaries are lint rules (eslint.config.js, LAYERS): each case lints one import in a
// file of a layer with the repository's own config and expects the boundary rule to fire or not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// Type-aware rules need the file in a project; the boundary rules read only the syntax, so the
// fixtures (which exist only as text) are linted without type information.
const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });

const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

/** The boundary messages ESLint reports for `code` as the file `path` (root-relative). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  assert.ok(result !== undefined);
  const fatal = result.messages.filter((m) => m.fatal === true);
  assert.deepEqual(fatal, [], `${path} did not parse`);
  return result.messages
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId) && m.severity === 2)
    .map((m) => `${String(m.line)}: ${m.message}`);
}

// Every case of the former hand-written check (scripts/check-boundaries.mjs), same verdicts.
const CASES: [file: string, specifier: string, allowed: boolean][] = [
  ['app/model/job.ts', './ids.js', true],
  ['app/commands.ts', '../app/index.js', true],
  ['app/commands.ts', 'zod', true],
  ['app/commands.ts', 'zod/v4', true],
  ['app/commands.ts', 'node:fs', false],
  ['app/commands.ts', 'electron', false],
  ['app/commands.ts', 'undici', false],
  ['app/commands.ts', '../main/engine/index.js', false],
  ['app/model/job.ts', '../../renderer/x.js', false],
  ['main/engine/job.ts', '../../app/index.js', true],
  ['main/engine/job.ts', 'node:fs', true],
  ['main/engine/job.ts', 'libsql', true],
  ['main/engine/job.ts', 'electron', false],
  ['main/engine/job.ts', 'electron/main', false],
  ['main/engine/job.ts', '../../renderer/store/index.js', false],
  ['main/engine/store/db.ts', '../../cli/ferry.js', false],
  ['main/engine/job.ts', '../server/rpc.js', false],
  ['main/engine/job.ts', '../electron/ipc.js', false],
  ['renderer/app.tsx', '../app/index.js', true],
  ['renderer/app.tsx', 'react', true],
  ['renderer/app.tsx', '../main/engine/index.js', false],
  ['renderer/app.tsx', 'node:path', false],
  ['renderer/app.tsx', 'fs', false],
  ['renderer/app.tsx', 'electron', false],
  ['main/electron/electron-platform.ts', 'electron', true],
  ['main/electron/main.ts', '../engine/index.js', true],
  ['main/electron/main.ts', '../engine', true],
  ['main/electron/main.ts', '../../app/index.js', true],
  ['main/electron/main.ts', '../engine/job-manager.js', false],
  ['main/server/rpc.ts', '../engine/store/database.js', false],
  ['main/cli/ferry.ts', '../../renderer/client/ws-client.js', false],
  ['main/native-host/relay.ts', '../../app/index.js', true],
  ['main/native-host/relay.ts', '../engine/job.js', false],
  ['main/native-host/relay.ts', '../../renderer/app.js', false],
  ['extension/src/background.ts', './capture-rules.js', true],
  ['extension/src/background.ts', '../../app/browser.js', true],
  ['extension/src/capture-settings.ts', 'zod', true],
  ['extension/src/background.ts', '../../main/host/index.js', false],
  ['extension/src/background.ts', '../../renderer/app.js', false],
  ['extension/src/background.ts', 'node:fs', false],
  ['extension/src/background.ts', 'ws', false],
  // Only the platform adapter and the preload import electron (the Electron port).
  ['main/electron/main.ts', 'electron', false],
  ['main/electron/preload.ts', 'electron', true],
  ['main/host/index.ts', 'electron', false],
  ['tests/unit/electron/x.test.ts', 'electron', false],
];

describe('layer boundaries as lint rules', () => {
  for (const [file, specifier, allowed] of CASES) {
    it(`${allowed ? 'allows' : 'rejects'} ${file} → ${specifier}`, async () => {
      const errors = await boundaryErrors(file, `import '${specifier}';\n`);
      if (allowed) assert.deepEqual(errors, []);
      else assert.equal(errors.length, 1, `expected one error, got ${JSON.stringify(errors)}`);
    });
  }

  it('checks every import form: from, export from, side effect, import(), typeof import()', async () => {
    const source = [
      "import { readFileSync } from 'node:fs';", // 1
      "import type { A } from './model/a.js';", // 2
      "export * from '../main/engine/index.js';", // 3
      "export type { B } from '../renderer/b.js';", // 4
      "import 'electron';", // 5
      "const lazy = await import('../main/host/index.js');", // 6
      "type T = typeof import('../extension/src/x.js');", // 7
      'const named = await import(name);', // 8
      "// import x from 'node:os';", // 9
      'const s = "import x from \'electron\'";', // 10
    ].join('\n');
    const errors = await boundaryErrors('app/bad.ts', source);
    assert.deepEqual(
      errors.map((e) => Number(e.split(':')[0])),
      [1, 3, 4, 5, 6, 7, 8],
    );
    assert.match(errors[0] ?? '', /app\/ may import only files inside app\/ and zod/);
    assert.match(errors.at(-1) ?? '', /plain string specifier/);
  });

  it('the platform adapter may import electron but not ipcRenderer', async () => {
    const file = 'main/electron/electron-platform.ts';
    assert.deepEqual(await boundaryErrors(file, "import { app } from 'electron';\n"), []);
    const errors = await boundaryErrors(file, "import { ipcRenderer } from 'electron';\n");
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /preload/);
  });

  it('a file with a violation is an error result, so `npm run lint` fails', async () => {
    const results = await eslint.lintText("import { join } from 'node:path';\n", {
      filePath: `${ROOT}renderer/features/boundary-fixture.ts`,
    });
    assert.equal(ESLint.getErrorResults(results).length, 1);
  });
});
