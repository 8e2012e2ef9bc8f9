// Interoperability with python's http.server (HTTP/1.0, no Range support): asked for eight
// connections, Ferry falls back to one and reads the file in one GET.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { skipUnless } from './support/daemons.js';
import { startPythonHttpServer } from './support/nginx.js';
import type { FileServer } from './support/nginx.js';
import { destination, serveDataDir, sha256, transfer } from './support/ferry.js';
import type { ServedDataDir } from './support/ferry.js';

describe('python3 -m http.server', { skip: skipUnless('python3', 'python3') }, () => {
  let python: FileServer;
  let served: ServedDataDir;
  let dest: string;

  before(async () => {
    [python, served, dest] = await Promise.all([
      startPythonHttpServer(),
      serveDataDir(),
      destination(),
    ]);
  });
  after(async () => {
    await Promise.all([python.stop(), served.close()]);
    rmSync(dest, { recursive: true, force: true });
  });

  it('downloads over one connection when the server ignores ranges (8 asked)', async (t) => {
    const body = randomBytes(5 * 1024 * 1024 + 11);
    python.put('/archive.tar', body);
    const done = await transfer(served, python.url('/archive.tar'), dest, ['--connections', '8']);
    assert.equal(done.name, 'archive.tar');
    assert.equal(sha256(done.path), sha256(body));
    // Its log, one line per request: the file costs one GET, at most one ranged probe
    // (answered with the whole file, and cut) and the plan's probe, never eight full copies.
    const gets = python
      .output()
      .split('\n')
      .filter((line) => line.includes('"GET /archive.tar'));
    t.diagnostic(`GET requests: ${gets.length}`);
    assert.ok(gets.length >= 1 && gets.length <= 3, `GETs: ${gets.length}\n${gets.join('\n')}`);
  });
});
