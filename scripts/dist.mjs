// `npm run dist`: packages the desktop app with electron-builder (electron-builder.yml) for
// this platform's targets (AppImage and deb on Linux, nsis on Windows, dmg on macOS), into
// release/. Arguments go to electron-builder, e.g. `npm run dist -- --linux deb` or, offline,
// `npm run dist -- --dir -c.electronDist=/path/to/unpacked-electron`.
//
// Before electron-builder runs it builds what is stale (`npm run build`) and writes the deb's
// install scripts: electron-builder's own, plus the /usr/bin/ferry link to the CLI launcher.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import console from 'node:console';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Shell lines appended to electron-builder's deb scripts (its template syntax: ${name}). */
const DEB_CLI_LINK = {
  'after-install': [
    '',
    '# Ferry: `ferry` on the PATH is the command line (resources/bin/ferry).',
    "ln -sf '/opt/${sanitizedProductName}/resources/bin/ferry' '/usr/bin/ferry'",
  ],
  'after-remove': [
    '',
    '# Ferry: the command line link, if it still points into the removed app.',
    "if [ \"$(readlink '/usr/bin/ferry')\" = '/opt/${sanitizedProductName}/resources/bin/ferry' ]; then",
    "  rm -f '/usr/bin/ferry'",
    'fi',
  ],
};

/** Writes dist/packaging/deb-<script>.tpl from electron-builder's template of that name. */
export function writeDebScripts() {
  const templates = join(
    dirname(require.resolve('app-builder-lib/package.json')),
    'templates',
    'linux',
  );
  const out = join(root, 'dist', 'packaging');
  mkdirSync(out, { recursive: true });
  for (const [name, lines] of Object.entries(DEB_CLI_LINK)) {
    const base = readFileSync(join(templates, `${name}.tpl`), 'utf8').replace(/\s*$/, '\n');
    writeFileSync(join(out, `deb-${name}.tpl`), `${base}${lines.join('\n')}\n`);
  }
}

/**
 * Removes from dist/cli the chunks that no longer belong to the build (a rebuild keeps old
 * chunks for a while for CLIs still running, scripts/build/cli.mjs): everything ferry.mjs does
 * not reach through its static and dynamic imports.
 */
export function pruneCliChunks() {
  const dir = join(root, 'dist', 'cli');
  const reached = new Set();
  const visit = (name) => {
    if (reached.has(name)) return;
    reached.add(name);
    for (const match of readFileSync(join(dir, name), 'utf8').matchAll(
      // Static imports quote with " and dynamic ones, minified, with `.
      /["'`]\.\/([\w.-]+\.mjs)["'`]/g,
    )) {
      if (match[1] !== undefined) visit(match[1]);
    }
  };
  visit('ferry.mjs');
  for (const name of readdirSync(dir)) {
    if (!reached.has(name)) rmSync(join(dir, name), { force: true });
  }
}

/** The package.json fields that ship in installers but are still marked as placeholders. */
export function unfilledMetadata(pkg) {
  return ['author', 'homepage', 'repository'].filter(
    (field) =>
      pkg[field] === undefined || JSON.stringify(pkg[field]).includes('TO-FILL-ON-PUBLICATION'),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const unfilled = unfilledMetadata(pkg);
  if (unfilled.length > 0) {
    if (args.includes('--publish') || args.some((arg) => arg.startsWith('--publish='))) {
      console.error(`npm run dist: fill package.json ${unfilled.join(', ')} before publishing`);
      process.exit(1);
    }
    console.warn(
      `npm run dist: package.json ${unfilled.join(', ')} still say TO-FILL-ON-PUBLICATION`,
    );
  }
  await build([], { ifStale: true, quiet: true });
  pruneCliChunks();
  writeDebScripts();
  const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
