import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checkBoundaries,
  checkImport,
  findImports,
  maskSource,
} from '../../../scripts/check-boundaries.mjs';

const SCRIPT = fileURLToPath(new URL('../../../scripts/check-boundaries.mjs', import.meta.url));

/** Writes `files` (root-relative path → contents) under a fresh temp directory. */
function makeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ferry-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function runCli(root: string) {
  return spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
}

describe('findImports', () => {
  it('finds every import form with the line of its specifier', () => {
    const source = [
      "import a from './a.js';", // 1
      "import type { B } from './b.js';", // 2
      'import {', // 3
      '  c,', // 4
      '  type D,', // 5
      "} from './c.js';", // 6
      "import './side-effect.js';", // 7
      "export * from './star.js';", // 8
      "export type { E } from './e.js';", // 9
      "export * as ns from './ns.js';", // 10
      "const lazy = await import('./lazy.js');", // 11
      "const cjs = require('./cjs.cjs');", // 12
      "import fs = require('node:fs');", // 13
      "type T = typeof import('./types.js');", // 14
      'const tpl = await import(`./tpl.js`);', // 15
    ].join('\n');
    assert.deepEqual(
      findImports(source).map((r) => [r.line, r.specifier, r.kind]),
      [
        [1, './a.js', 'static'],
        [2, './b.js', 'static'],
        [6, './c.js', 'static'],
        [7, './side-effect.js', 'static'],
        [8, './star.js', 'static'],
        [9, './e.js', 'static'],
        [10, './ns.js', 'static'],
        [11, './lazy.js', 'dynamic'],
        [12, './cjs.cjs', 'dynamic'],
        [13, 'node:fs', 'dynamic'],
        [14, './types.js', 'dynamic'],
        [15, './tpl.js', 'dynamic'],
      ],
    );
  });

  it('ignores comments, strings, regex literals and look-alike identifiers', () => {
    const source = [
      "// import fs from 'node:fs';",
      "/* import { app } from 'electron';",
      "   export * from '../renderer/x.js'; */",
      'const s = "import x from \'electron\'";',
      "const t = `require('node:os') ${1 + 1} import('node:net')`;",
      "const re = /['\"]from '/;",
      "const parsed = Array.from('abc');",
      "const fromX = { from: 'x' };",
      "const r = this.require('node:child_process');",
      'const meta = import.meta.url;',
      '/** e.g. `import { z } from "zod"` */',
      "import real from './real.js';",
    ].join('\n');
    assert.deepEqual(findImports(source), [{ specifier: './real.js', line: 12, kind: 'static' }]);
  });

  it('reports a non-literal import() but skips a method named require', () => {
    const source = [
      'const mod = await import(name);',
      'const other = await import(`./x/${name}.js`);',
      'class A { require(job: string) { return job; } }',
    ].join('\n');
    assert.deepEqual(findImports(source), [
      { specifier: null, line: 1, kind: 'dynamic' },
      { specifier: null, line: 2, kind: 'dynamic' },
    ]);
  });

  it('masks without moving offsets or lines', () => {
    const source = "a('x'); // c\n/* d\n e */ `t${'u'}v`";
    const masked = maskSource(source);
    assert.equal(masked.length, source.length);
    assert.equal(masked, "a(' ');     \n    \n      ` ${' '} `");
  });
});

describe('checkImport', () => {
  const cases: [file: string, specifier: string, allowed: boolean][] = [
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
    ['main/electron/main.ts', 'electron', true],
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
  ];
  for (const [file, specifier, allowed] of cases) {
    it(`${allowed ? 'allows' : 'rejects'} ${file} → ${specifier}`, () => {
      const message = checkImport(file, specifier);
      if (allowed) assert.equal(message, null);
      else assert.match(message ?? '', new RegExp(`'${specifier.replace(/\./g, '\\.')}'`));
    });
  }
});

describe('checkBoundaries on a tree', () => {
  let dirty: string;
  let clean: string;

  before(() => {
    dirty = makeTree({
      'app/ok.ts': "import { z } from 'zod';\nimport type { A } from './model/a.js';\n",
      'app/model/a.ts': 'export type A = string;\n',
      'app/bad.ts': [
        '/** The contract. */',
        'import {',
        '  readFileSync,',
        "} from 'node:fs';",
        "import 'electron';",
        "export * from '../main/engine/index.js';",
        'const x = await import(name);',
      ].join('\n'),
      'app/notes.md': "import fs from 'node:fs';\n",
      'main/engine/index.ts': "import { app } from 'electron';\nimport '../../app/index.js';\n",
      'main/engine/store/db.ts': "import type { Cli } from '../../cli/ferry.js';\n",
      'main/electron/main.ts': [
        "import { app } from 'electron';",
        "import { createEngine } from '../engine/index.js';",
        "import { JobManager } from '../engine/job-manager.js';",
        "import { store } from '../../renderer/store/index.js';",
      ].join('\n'),
      'main/cli/ferry.mts': "import { parseArgs } from 'node:util';\n",
      'renderer/app.tsx': [
        "import { useState } from 'react';",
        "import { ipcRenderer } from 'electron';",
        '',
        "import { join } from 'node:path';",
        "import type { Engine } from '../main/engine/index.js';",
        'export const App = () => <div>{"</div>"}</div>;',
      ].join('\n'),
    });
    clean = makeTree({
      'app/index.ts': "export * from './model.js';\nimport { z } from 'zod';\n",
      'app/model.ts': 'export type Id = string;\n',
      'main/engine/index.ts': "import { request } from 'undici';\nimport '../../app/index.js';\n",
    });
  });

  after(() => {
    rmSync(dirty, { recursive: true, force: true });
    rmSync(clean, { recursive: true, force: true });
  });

  it('reports exactly the violations, in file then line order', () => {
    const { filesChecked, violations } = checkBoundaries(dirty);
    assert.equal(filesChecked, 8);
    assert.deepEqual(
      violations.map((v) => `${v.file}:${v.line} ${v.specifier ?? '<non-literal>'}`),
      [
        'app/bad.ts:4 node:fs',
        'app/bad.ts:5 electron',
        'app/bad.ts:6 ../main/engine/index.js',
        'app/bad.ts:7 <non-literal>',
        'main/electron/main.ts:3 ../engine/job-manager.js',
        'main/electron/main.ts:4 ../../renderer/store/index.js',
        'main/engine/index.ts:1 electron',
        'main/engine/store/db.ts:1 ../../cli/ferry.js',
        'renderer/app.tsx:2 electron',
        'renderer/app.tsx:4 node:path',
        'renderer/app.tsx:5 ../main/engine/index.js',
      ],
    );
  });

  it('skips missing folders and passes a clean tree', () => {
    assert.deepEqual(checkBoundaries(clean), { filesChecked: 3, violations: [] });
  });

  it('exits 1 and prints file:line: message per violation', () => {
    const result = runCli(dirty);
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 12);
    assert.equal(
      lines[0],
      "app/bad.ts:4: app/ may import only files inside app/ and zod, not 'node:fs'",
    );
    assert.match(lines.at(-1) ?? '', /^boundaries: 11 violation\(s\) in 8 files checked$/);
    assert.equal(result.stdout, '');
  });

  it('exits 0 with one summary line on a clean tree', () => {
    const result = runCli(clean);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, 'boundaries ok: 3 files checked\n');
  });
});
