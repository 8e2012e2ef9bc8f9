// `npm run dist`: packages the desktop app with electron-builder (electron-builder.yml) for
// this platform's targets (AppImage and deb on Linux, nsis on Windows, dmg on macOS), into
// release/. Arguments go to electron-builder, e.g. `npm run dist -- --linux deb` or, offline,
// `npm run dist -- --dir -c.electronDist=/path/to/unpacked-electron`.
//
// Before electron-builder runs it builds what is stale (`npm run build`) and writes the deb's
// install scripts: electron-builder's own, plus the /usr/bin/ferry link to the CLI launcher.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  writeDebScripts();
  const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
