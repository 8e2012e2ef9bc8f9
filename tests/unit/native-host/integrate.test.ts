// `ferry integrate`: the launcher and each browser's host manifest, where each browser looks.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from '../../../main/native-host/integrate.js';
import {
  installIntegration,
  integrationStatus,
  launcherPath,
  launcherScript,
  uninstallIntegration,
} from '../../../main/native-host/integrate.js';
import {
  FERRY_CHROMIUM_EXTENSION_ID,
  FERRY_FIREFOX_EXTENSION_ID,
  hostLocation,
} from '../../../main/native-host/manifests.js';
import { makeTempDir } from '../../support/engine-harness.js';

const dir = makeTempDir('ferry-integrate-');
after(() => {
  dir.cleanup();
});

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

describe('hostLocation', () => {
  it("uses each browser's documented per-user place", () => {
    const home = '/home/u';
    const at = (browser: 'chrome' | 'chromium' | 'edge' | 'firefox', platform: NodeJS.Platform) =>
      hostLocation(browser, platform, '/data', {}, home).manifestPath;
    assert.equal(
      at('chrome', 'linux'),
      '/home/u/.config/google-chrome/NativeMessagingHosts/app.ferry.native_host.json',
    );
    assert.equal(
      at('chromium', 'linux'),
      '/home/u/.config/chromium/NativeMessagingHosts/app.ferry.native_host.json',
    );
    assert.equal(
      at('edge', 'linux'),
      '/home/u/.config/microsoft-edge/NativeMessagingHosts/app.ferry.native_host.json',
    );
    assert.equal(
      at('firefox', 'linux'),
      '/home/u/.mozilla/native-messaging-hosts/app.ferry.native_host.json',
    );
    assert.equal(
      at('chrome', 'darwin'),
      '/home/u/Library/Application Support/Google/Chrome/NativeMessagingHosts/app.ferry.native_host.json',
    );
    assert.equal(
      at('firefox', 'darwin'),
      '/home/u/Library/Application Support/Mozilla/NativeMessagingHosts/app.ferry.native_host.json',
    );
    const xdg = hostLocation('chromium', 'linux', '/data', { XDG_CONFIG_HOME: '/cfg' }, home);
    assert.equal(xdg.manifestPath, '/cfg/chromium/NativeMessagingHosts/app.ferry.native_host.json');
    const windows = hostLocation(
      'edge',
      'win32',
      'C:\\Users\\u\\AppData\\Roaming\\Ferry',
      {},
      home,
    );
    assert.deepEqual(windows, {
      kind: 'registry',
      key: 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\app.ferry.native_host',
      manifestPath: 'C:\\Users\\u\\AppData\\Roaming\\Ferry\\native-host\\edge.json',
    });
  });
});

describe('installIntegration / uninstallIntegration', () => {
  it('writes an executable launcher and a manifest per browser, then removes them', async () => {
    const home = dir.file('home');
    const dataDir = dir.file('data dir');
    const options = {
      dataDir,
      browsers: ['chrome', 'chromium', 'edge', 'firefox'] as const,
      platform: 'linux' as const,
      env: {},
      home,
      nodePath: '/opt/node/bin/node',
      extraIds: ['abcdefghijklmnopabcdefghijklmnop', 'dev@example.org'],
    };
    const results = await installIntegration(options);
    assert.equal(results.length, 4);
    const launcher = launcherPath(dataDir, 'linux');
    assert.equal(statSync(launcher).mode & 0o111, 0o111, 'the browser can run it');
    assert.match(
      readFileSync(launcher, 'utf8'),
      /exec '\/opt\/node\/bin\/node' '.*ferry\.m?js' --data-dir '.*data dir' native-host "\$@"/,
    );

    const chrome = readJson(
      join(home, '.config/google-chrome/NativeMessagingHosts/app.ferry.native_host.json'),
    );
    assert.deepEqual(chrome, {
      name: 'app.ferry.native_host',
      description: 'Ferry download manager: receives downloads from the Ferry extension',
      path: launcher,
      type: 'stdio',
      allowed_origins: [
        `chrome-extension://${FERRY_CHROMIUM_EXTENSION_ID}/`,
        'chrome-extension://abcdefghijklmnopabcdefghijklmnop/',
      ],
    });
    const firefox = readJson(
      join(home, '.mozilla/native-messaging-hosts/app.ferry.native_host.json'),
    );
    assert.deepEqual(firefox['allowed_extensions'], [
      FERRY_FIREFOX_EXTENSION_ID,
      'dev@example.org',
    ]);
    assert.equal(firefox['allowed_origins'], undefined);

    assert.deepEqual(
      integrationStatus({ dataDir, platform: 'linux', env: {}, home }).map((s) => [
        s.browser,
        s.installed,
      ]),
      [
        ['chrome', true],
        ['chromium', true],
        ['edge', true],
        ['firefox', true],
      ],
    );
    assert.equal(
      integrationStatus({ dataDir: dir.file('another'), platform: 'linux', env: {}, home }).some(
        (s) => s.installed,
      ),
      false,
      'a manifest naming another data directory does not count',
    );

    // Someone else's file at the same name is left alone.
    const edgePath = join(
      home,
      '.config/microsoft-edge/NativeMessagingHosts/app.ferry.native_host.json',
    );
    writeFileSync(edgePath, '{"name":"other.host"}');
    await uninstallIntegration(options);
    assert.equal(
      existsSync(join(home, '.config/chromium/NativeMessagingHosts/app.ferry.native_host.json')),
      false,
    );
    assert.equal(existsSync(edgePath), true);
    assert.equal(existsSync(launcher), false);
  });

  it('sets and deletes the registry keys on Windows, with a .cmd launcher', async () => {
    const calls: string[] = [];
    const registry: Registry = {
      setDefault: (key, value) => {
        calls.push(`set ${key} = ${value}`);
        return Promise.resolve();
      },
      delete: (key) => {
        calls.push(`delete ${key}`);
        return Promise.resolve();
      },
    };
    const dataDir = dir.file('win');
    const options = {
      dataDir,
      browsers: ['firefox'] as const,
      platform: 'win32' as const,
      registry,
    };
    const [result] = await installIntegration(options);
    assert.equal(
      result?.registryKey,
      'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\app.ferry.native_host',
    );
    assert.deepEqual(calls, [`set ${result.registryKey} = ${result.manifestPath}`]);
    await uninstallIntegration(options);
    assert.deepEqual(calls.at(-1), `delete ${result.registryKey}`);
    assert.match(
      launcherScript('linux', '/opt/Ferry/ferry', '/opt/Ferry/cli/ferry.mjs', '/d', true),
      /\nELECTRON_RUN_AS_NODE=1 exec '\/opt\/Ferry\/ferry' /,
      "the desktop app's Electron runs the CLI as Node",
    );
    assert.match(
      launcherScript('win32', 'C:\\node\\node.exe', 'C:\\ferry\\bin\\ferry.js', 'C:\\Data'),
      /^@echo off\r\n.*\r\n"C:\\node\\node\.exe" "C:\\ferry\\bin\\ferry\.js" --data-dir "C:\\Data" native-host %\*\r\n$/,
    );
  });

  it('writes into a given manifest folder for one browser family only', async () => {
    const manifestDir = dir.file('profile/NativeMessagingHosts');
    mkdirSync(manifestDir, { recursive: true });
    await installIntegration({ dataDir: dir.file('p'), browsers: ['chromium'], manifestDir });
    assert.equal(
      readJson(join(manifestDir, 'app.ferry.native_host.json'))['name'],
      'app.ferry.native_host',
    );
    await assert.rejects(
      installIntegration({
        dataDir: dir.file('p'),
        browsers: ['chromium', 'firefox'],
        manifestDir,
      }),
      /one browser family/,
    );
  });
});
