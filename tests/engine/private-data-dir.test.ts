// The data directory is private and the store never holds a secret in clear. Guards against:
// ferry.db, -wal and -shm created 0644 in a 0755 folder, with proxy passwords and custom
// headers (Authorization, a browser's Cookie) readable by every local user.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { createEngine } from '../../main/engine/index.js';
import { makeTempDir, testEngineOptions } from '../support/engine-harness.js';

const dir = makeTempDir('ferry-private-');
after(() => {
  dir.cleanup();
});

const PROXY_PASSWORD = 'hunter2-proxy-password';
const BEARER = 'bearer-token-0f9e8d7c';
const COOKIE = 'session=cookie-secret-5a4b';

/** Every file under `folder` with its mode, and every folder's mode. */
function modes(folder: string): Map<string, number> {
  const found = new Map<string, number>([[folder, statSync(folder).mode & 0o777]]);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) for (const [p, m] of modes(path)) found.set(p, m);
    else found.set(path, statSync(path).mode & 0o777);
  }
  return found;
}

/** Whether any file of the data directory holds `needle` in its raw bytes. */
function leaked(dataDir: string, needle: string): string[] {
  return [...modes(dataDir).keys()].filter((path) => {
    if (statSync(path).isDirectory()) return false;
    return readFileSync(path).includes(Buffer.from(needle));
  });
}

describe('data directory privacy', { skip: process.platform === 'win32' }, () => {
  it('creates the folder 0700 and every file 0600, journals included, while running', async () => {
    const dataDir = join(dir.path, 'fresh');
    const engine = createEngine(testEngineOptions(dataDir));
    try {
      engine.createJob({ displayName: 'one' });
      for (const [path, mode] of modes(dataDir)) {
        const wanted = path === dataDir ? 0o700 : 0o600;
        assert.equal(mode.toString(8), wanted.toString(8), path);
      }
      assert.ok(
        modes(dataDir).has(join(dataDir, 'ferry.db-wal')),
        'the WAL exists and was checked',
      );
    } finally {
      await engine.close();
    }
  });

  it('narrows an older install on start: 0755 folder, 0644 files', async () => {
    const dataDir = join(dir.path, 'old');
    await createEngine(testEngineOptions(dataDir)).close();
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'logs'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'logs', 'server.log'), 'old log\n', { mode: 0o644 });
    for (const path of modes(dataDir).keys()) {
      chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    }
    const engine = createEngine(testEngineOptions(dataDir));
    try {
      for (const [path, mode] of modes(dataDir)) {
        const wanted = statSync(path).isDirectory() ? 0o700 : 0o600;
        assert.equal(mode.toString(8), wanted.toString(8), path);
      }
    } finally {
      await engine.close();
    }
  });

  it('never writes proxy credentials or custom header values in clear, yet reads them back', async () => {
    const dataDir = join(dir.path, 'secrets');
    let engine = createEngine(testEngineOptions(dataDir));
    const job = engine.createJob({ displayName: 'with secrets' });
    await job.setProxySettings({
      usage: 'OVERRIDE',
      proxyList: [`http://user:${PROXY_PASSWORD}@127.0.0.1:3128`],
      bypassList: [],
    });
    await job.setCustomHeaders([`Authorization: Bearer ${BEARER}`, `Cookie: ${COOKIE}`]);
    engine.setSettings({
      defaultProxy: {
        usage: 'OVERRIDE',
        proxyList: [`http://admin:${PROXY_PASSWORD}@10.0.0.1:8080`],
        bypassList: [],
      },
    });
    // While running (WAL and all) and after closing, no file holds a secret.
    for (const needle of [PROXY_PASSWORD, BEARER, COOKIE]) {
      assert.deepEqual(leaked(dataDir, needle), [], needle);
    }
    await engine.close();
    for (const needle of [PROXY_PASSWORD, BEARER, COOKIE]) {
      assert.deepEqual(leaked(dataDir, needle), [], needle);
    }
    engine = createEngine(testEngineOptions(dataDir));
    try {
      const again = engine.getJob(job.id).info();
      assert.deepEqual(again.proxy.proxyList, [`http://user:${PROXY_PASSWORD}@127.0.0.1:3128`]);
      assert.deepEqual(again.customHeaders, [
        `Authorization: Bearer ${BEARER}`,
        `Cookie: ${COOKIE}`,
      ]);
      assert.deepEqual(engine.getSettings().defaultProxy.proxyList, [
        `http://admin:${PROXY_PASSWORD}@10.0.0.1:8080`,
      ]);
    } finally {
      await engine.close();
    }
  });

  it('seals the clear secrets an older version stored, on start', async () => {
    const dataDir = join(dir.path, 'legacy');
    const engine = createEngine(testEngineOptions(dataDir));
    const job = engine.createJob({ displayName: 'legacy' });
    const id = job.id;
    await engine.close();
    // What an older version wrote: the columns as clear JSON.
    const db = new Database(join(dataDir, 'ferry.db'));
    db.prepare('UPDATE jobs SET custom_headers = ?, proxy = ? WHERE id = ?').run(
      JSON.stringify([`Authorization: Bearer ${BEARER}`]),
      JSON.stringify({
        usage: 'OVERRIDE',
        proxyList: [`http://u:${PROXY_PASSWORD}@127.0.0.1:1`],
        bypassList: [],
      }),
      id,
    );
    db.close();
    assert.notDeepEqual(leaked(dataDir, BEARER), [], 'the legacy store holds the header in clear');
    const reopened = createEngine(testEngineOptions(dataDir));
    try {
      assert.deepEqual(reopened.getJob(id).info().customHeaders, [
        `Authorization: Bearer ${BEARER}`,
      ]);
      assert.deepEqual(leaked(dataDir, BEARER), []);
      assert.deepEqual(leaked(dataDir, PROXY_PASSWORD), []);
    } finally {
      await reopened.close();
    }
  });
});
