// Interoperability with nginx (Debian's package, conf/nginx.conf): `ferry transfer` against a
// real `ferry serve`; each case checks the saved file's sha256, its name and the job's state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { skipUnless } from './support/daemons.js';
import { startNginx } from './support/nginx.js';
import type { FileServer } from './support/nginx.js';
import { destination, serveDataDir, sha256, transfer } from './support/ferry.js';
import type { ServedDataDir } from './support/ferry.js';

const MiB = 1024 * 1024;

describe('nginx', { skip: skipUnless('nginx', 'nginx') }, () => {
  let nginx: FileServer;
  let served: ServedDataDir;
  const dests: string[] = [];
  const dest = async (): Promise<string> => {
    const dir = await destination();
    dests.push(dir);
    return dir;
  };

  before(async () => {
    [nginx, served] = await Promise.all([startNginx(), serveDataDir()]);
  });
  after(async () => {
    await Promise.all([nginx.stop(), served.close()]);
    for (const dir of dests) rmSync(dir, { recursive: true, force: true });
  });

  it('downloads a plain file over several connections', async () => {
    const body = randomBytes(6 * MiB + 5);
    nginx.put('/plain/data.bin', body);
    const done = await transfer(served, nginx.url('/plain/data.bin'), await dest());
    assert.equal(done.name, 'data.bin');
    assert.equal(sha256(done.path), sha256(body));
  });

  it('gets the stored bytes, not the gzip twin, from gzip_static', async () => {
    const text = Buffer.from('Ferry asks for identity; nginx has a .gz beside me.\n'.repeat(4000));
    nginx.put('/gz/notes.txt', text);
    nginx.put('/gz/notes.txt.gz', gzipSync(text));
    const done = await transfer(served, nginx.url('/gz/notes.txt'), await dest());
    assert.equal(done.name, 'notes.txt');
    assert.equal(sha256(done.path), sha256(text));
  });

  it('completes a file throttled by limit_rate', async () => {
    const body = randomBytes(3 * MiB);
    nginx.put('/slow/big.bin', body);
    const done = await transfer(served, nginx.url('/slow/big.bin'), await dest(), [
      '--connections',
      '4',
    ]);
    assert.equal(done.name, 'big.bin');
    assert.equal(sha256(done.path), sha256(body));
  });

  it('follows redirects and names the file from the final response', async () => {
    const body = randomBytes(2 * MiB + 3);
    nginx.put('/files/7f3a9c.bin', body);
    const folder = await dest();
    const done = await transfer(served, nginx.url('/go/report'), folder);
    assert.equal(done.name, 'quarterly report.bin');
    assert.equal(sha256(done.path), sha256(body));
    assert.deepEqual(readdirSync(folder), ['quarterly report.bin'], 'no temporary file left');
  });

  it('downloads from a server that refuses HEAD, named by the GET', async () => {
    const body = randomBytes(1 * MiB + 9);
    nginx.put('/nohead/x7.bin', body);
    const done = await transfer(served, nginx.url('/nohead/x7.bin'), await dest());
    assert.equal(done.name, 'from-get.bin');
    assert.equal(sha256(done.path), sha256(body));
  });
});
