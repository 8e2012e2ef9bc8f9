// The offline packaging check: `npm run dist -- --linux dir` with electronDist pointing at a
// stand-in Electron folder (no download), then the unpacked app is read back. This checks what
// electron-builder packs (electron-builder.yml, the build, the launchers), not Electron: the
// stand-in cannot open a window. It does act as Node under ELECTRON_RUN_AS_NODE, as Electron
// does, so the packaged `ferry` launcher runs the packaged CLI and server for real.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { REPO_ROOT } from '../support/child-process.js';

const run = promisify(execFile);

/**
 * Electron 45's fuse wire as it ships (version 1, eight fuses, '1' on and '0' off, in
 * FuseV1Options order): RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
 * asar integrity off, only-from-asar off, browser V8 snapshot off, file:// privileges on.
 * The stand-in carries it after its sentinel, as the real binary does, so electron-builder can
 * flip the fuses and the test can read them back.
 */
const SHIPPED_FUSE_WIRE = Buffer.concat([
  Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX', 'latin1'),
  Buffer.from([1, 8]),
  Buffer.from('10110001', 'latin1'),
]);

/** An unpacked "Electron" for linux-x64 that only knows how to be Node. */
async function standInElectron(dir: string): Promise<void> {
  await mkdir(join(dir, 'locales'), { recursive: true });
  await mkdir(join(dir, 'resources'), { recursive: true });
  const electron = join(dir, 'electron');
  await writeFile(
    electron,
    [
      '#!/bin/sh',
      '# Stand-in Electron for the packaging test: Node when run as Node, nothing else.',
      `if [ -n "$ELECTRON_RUN_AS_NODE" ]; then exec '${process.execPath}' "$@"; fi`,
      'echo "stand-in Electron: no windows here" >&2',
      'exit 1',
      // After `exit`: the shell never reads the fuse wire.
      `# ${SHIPPED_FUSE_WIRE.toString('latin1')}`,
      '',
    ].join('\n'),
  );
  await chmod(electron, 0o755);
  const version = readPackage('node_modules/electron/package.json').version;
  await writeFile(join(dir, 'version'), String(version));
  await writeFile(join(dir, 'locales', 'en-US.pak'), 'stand-in');
  await writeFile(join(dir, 'LICENSE'), 'stand-in');
}

function readPackage(path: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8'));
  assert.ok(typeof parsed === 'object' && parsed !== null);
  return Object.fromEntries(Object.entries(parsed));
}

function isUnpacked(asar: string, path: string): boolean {
  const entry = statFile(asar, path);
  return 'unpacked' in entry && entry.unpacked === true;
}

describe('the packaged desktop app (electron-builder --dir, stand-in Electron)', () => {
  let work = '';
  let app = '';
  let asar = '';
  let listing: string[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'ferry-package-'));
    await standInElectron(join(work, 'electron'));
    await run(
      process.execPath,
      [
        'scripts/dist.mjs',
        '--linux',
        'dir',
        `-c.electronDist=${join(work, 'electron')}`,
        `-c.directories.output=${join(work, 'release')}`,
      ],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    app = join(work, 'release', 'linux-unpacked');
    asar = join(app, 'resources', 'app.asar');
    listing = listPackage(asar, { isPack: false }).map((path) => path.replace(/^[\\/]/, ''));
    const tops = [...new Set(listing.map((path) => path.split('/').slice(0, 2).join('/')))];
    console.log(`app.asar: ${listing.length} entries; ${tops.sort().join(', ')}`);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('holds the desktop main, preload, window, icons and the CLI', () => {
    const pkg = readPackage('package.json');
    for (const path of [
      'package.json',
      String(pkg.main),
      'dist/electron/preload.cjs',
      'dist/renderer/index.html',
      'dist/icons/window.png',
      'dist/icons/tray/idle.png',
      'dist/icons/tray/transferring@2x.png',
      'dist/icons/tray/errorTemplate.png',
      'dist/cli/ferry.mjs',
    ]) {
      assert.ok(listing.includes(path), `app.asar lacks ${path}`);
    }
    const packed: unknown = JSON.parse(extractFile(asar, 'package.json').toString('utf8'));
    assert.ok(typeof packed === 'object' && packed !== null && 'main' in packed);
    assert.equal(packed.main, pkg.main);
  });

  it('unpacks the CLI, the window it serves and libsql with its native binary', () => {
    assert.ok(isUnpacked(asar, 'dist/cli/ferry.mjs'));
    assert.ok(isUnpacked(asar, 'dist/renderer/index.html'));
    const natives = listing.filter((path) =>
      /^node_modules\/@libsql\/[^/]+\/[^/]+\.node$/.test(path),
    );
    assert.ok(natives.length > 0, 'no @libsql/*/*.node in app.asar');
    for (const native of natives) {
      assert.ok(isUnpacked(asar, native), `${native} is inside app.asar`);
      assert.ok(existsSync(join(`${asar}.unpacked`, native)), `${native} not in app.asar.unpacked`);
    }
    for (const loader of ['libsql', '@neon-rs/load', 'detect-libc']) {
      assert.ok(isUnpacked(asar, `node_modules/${loader}/package.json`), `${loader} is packed`);
    }
  });

  it('leaves out sources, tests, benchmarks, source maps and development packages', () => {
    const pkg = readPackage('package.json');
    const devDependencies = Object.keys(pkg.devDependencies ?? {});
    const bad = listing.filter(
      (path) =>
        /\.(ts|tsx|mts|cts|map)$/.test(path) ||
        /^(app|main|renderer|tests|benchmarks|scripts|docs|assets|extension|build|\.ci)(\/|$)/.test(
          path,
        ) ||
        devDependencies.some(
          (name) => path === `node_modules/${name}` || path.startsWith(`node_modules/${name}/`),
        ),
    );
    assert.deepEqual(bad, []);
  });

  it('flips the Electron fuses (electron-builder.yml electronFuses) in the packaged binary', async () => {
    const wire = await getCurrentFuseWire(join(app, 'ferry-desktop'));
    const state = (fuse: FuseV1Options): string => {
      // The wire's bytes: '1' on, '0' off (FuseState, which the package does not export).
      const byte = Number(wire[fuse]);
      return byte === 0x31 ? 'on' : byte === 0x30 ? 'off' : 'other';
    };
    assert.deepEqual(
      {
        runAsNode: state(FuseV1Options.RunAsNode),
        cookieEncryption: state(FuseV1Options.EnableCookieEncryption),
        nodeOptions: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
        inspect: state(FuseV1Options.EnableNodeCliInspectArguments),
        asarIntegrity: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
        onlyFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
        fileProtocolPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
      },
      {
        // Kept on for the `ferry` launcher (ELECTRON_RUN_AS_NODE): see electron-builder.yml.
        runAsNode: 'on',
        cookieEncryption: 'on',
        nodeOptions: 'off',
        inspect: 'off',
        asarIntegrity: 'on',
        onlyFromAsar: 'on',
        fileProtocolPrivileges: 'off',
      },
    );
  });

  it('puts the ferry launcher in resources/bin, next to the app named ferry-desktop', () => {
    const launcher = join(app, 'resources', 'bin', 'ferry');
    accessSync(launcher, constants.X_OK);
    assert.ok(statSync(join(app, 'resources', 'bin', 'ferry.cmd')).isFile());
    accessSync(join(app, 'ferry-desktop'), constants.X_OK);
  });

  it('runs the packaged CLI and its server through the launcher, as Electron-as-Node', async () => {
    const launcher = join(app, 'resources', 'bin', 'ferry');
    const version = await run(launcher, ['--version'], { cwd: tmpdir() });
    assert.equal(version.stdout.trim(), readPackage('package.json').version);
    // Through a link, as the deb's /usr/bin/ferry: the launcher finds the app from its target.
    const link = join(work, 'usr-bin-ferry');
    await symlink(launcher, link);
    const linked = await run(link, ['--version'], { cwd: tmpdir() });
    assert.equal(linked.stdout.trim(), readPackage('package.json').version);

    const dataDir = join(work, 'data');
    const env = { ...process.env, FERRY_DATA_DIR: dataDir };
    try {
      const list = await run(launcher, ['--port', '0', 'list'], { cwd: tmpdir(), env });
      assert.equal(list.stdout.trim(), 'No jobs.');
      const record: unknown = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'));
      assert.ok(typeof record === 'object' && record !== null && 'port' in record);
      // The background server is the packaged one, serving the packaged window.
      const page = await fetch(`http://127.0.0.1:${String(record.port)}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">|<html/);
      const server = readFileSync(join(dataDir, 'server.log'), 'utf8');
      assert.match(server, /Ferry is serving at/);
    } finally {
      await stopServer(dataDir);
    }
  });

  it('writes deb scripts that link /usr/bin/ferry to the launcher and keep electron-builder’s', () => {
    const install = readFileSync(
      join(REPO_ROOT, 'dist', 'packaging', 'deb-after-install.tpl'),
      'utf8',
    );
    assert.match(install, /update-desktop-database/);
    assert.match(
      install,
      /ln -sf '\/opt\/\$\{sanitizedProductName\}\/resources\/bin\/ferry' '\/usr\/bin\/ferry'/,
    );
    const remove = readFileSync(
      join(REPO_ROOT, 'dist', 'packaging', 'deb-after-remove.tpl'),
      'utf8',
    );
    assert.match(remove, /rm -f '\/usr\/bin\/ferry'/);
  });
});

/** Stops the background server a test started (SIGTERM, then waits for its record to go). */
async function stopServer(dataDir: string): Promise<void> {
  let pid: number;
  try {
    const record: unknown = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'));
    if (typeof record !== 'object' || record === null || !('pid' in record)) return;
    pid = Number(record.pid);
  } catch {
    return;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(pid, 'SIGKILL');
}
