// Builds Ferry's browser extension into dist/extension/{chromium,firefox} and packs each into
// a zip for its store (dist/extension/ferry-<version>-<browser>.zip).
//
// Usage: node extension/build/build.mjs   (npm run build:extension)
//
// Each script is bundled on its own as one classic script (IIFE): a content script cannot
// be a module, and one format for all keeps Chromium's service worker and Firefox's event
// page alike. app/ and zod are bundled in. The manifest is manifest.base.json with the
// browser's overlay (Chromium: a service worker and the public key that fixes the extension
// id; Firefox: an event page and the add-on id) and the package's version.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { iconPng } from './icons.mjs';
import { zipFolder } from './zip.mjs';

const extensionDir = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const outRoot = join(root, 'dist', 'extension');
const scripts = ['background', 'content', 'popup', 'options'];
const browsers = ['chromium', 'firefox'];
const ICON_SIZES = [16, 32, 48, 128];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const { version } = readJson(join(root, 'package.json'));

/** Builds the scripts once into a staging folder; returns it. */
async function bundle() {
  const staging = join(outRoot, '.scripts');
  rmSync(staging, { recursive: true, force: true });
  for (const name of scripts) {
    await build({
      root,
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir: staging,
        emptyOutDir: false,
        target: ['chrome110', 'firefox115'],
        sourcemap: false,
        minify: false,
        lib: {
          entry: join(extensionDir, 'src', `${name}.ts`),
          formats: ['iife'],
          name: `ferry_${name}`,
          fileName: () => `${name}.js`,
        },
      },
    });
  }
  return staging;
}

function assemble(browser, staging) {
  const out = join(outRoot, browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'icons'), { recursive: true });
  for (const name of scripts) cpSync(join(staging, `${name}.js`), join(out, `${name}.js`));
  cpSync(join(extensionDir, 'static'), out, { recursive: true });
  cpSync(join(extensionDir, '_locales'), join(out, '_locales'), { recursive: true });
  for (const size of ICON_SIZES) {
    writeFileSync(join(out, 'icons', `icon-${size}.png`), iconPng(size));
  }
  const manifest = {
    ...readJson(join(extensionDir, 'manifest.base.json')),
    ...readJson(join(extensionDir, `manifest.${browser}.json`)),
    version,
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const zip = join(outRoot, `ferry-${version}-${browser}.zip`);
  const count = zipFolder(out, zip);
  console.log(`extension: ${out} (${count} files), packed in ${zip}`);
}

const staging = await bundle();
for (const browser of browsers) assemble(browser, staging);
rmSync(staging, { recursive: true, force: true });
