import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FerryErrorCode } from '../../../app/index.js';
import { FerryError } from '../../../app/index.js';
import {
  checkLocalName,
  checkRemoteName,
  ensureFolder,
  tempNameFor,
} from '../../../main/engine/local-path.js';

/** Asserts that `fn` throws a FerryError with this code whose message holds `fragment`. */
function assertFerry(fn: () => unknown, code: FerryErrorCode, fragment: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FerryError, String(error));
    assert.equal(error.code, code);
    assert.ok(error.message.includes(fragment), `"${fragment}" in: ${error.message}`);
    return true;
  });
}

describe('checkRemoteName', () => {
  const ok: readonly [string, string, string][] = [
    ['http://example.com/a.bin', 'http:', 'example.com'],
    ['https://EXAMPLE.com:8443/a?b=c', 'https:', 'example.com'],
    ['http://127.0.0.1:8080/x', 'http:', '127.0.0.1'],
    ['http://[::1]/x', 'http:', '[::1]'],
    ['file:///tmp/a.bin', 'file:', ''],
    ['file://localhost/tmp/a.bin', 'file:', ''],
  ];
  for (const [url, protocol, hostname] of ok) {
    it(`accepts ${url}`, () => {
      const parsed = checkRemoteName(url);
      assert.ok(parsed instanceof URL);
      assert.equal(parsed.protocol, protocol);
      assert.equal(parsed.hostname, hostname);
    });
  }

  const bad: readonly [string, FerryErrorCode, string][] = [
    ['ftp://example.com/a.bin', 'INPUT_UNSUPPORTED_SCHEME', "unsupported scheme 'ftp:'"],
    ['ws://example.com/a', 'INPUT_UNSUPPORTED_SCHEME', "'ws:'"],
    ['data:text/plain,hi', 'INPUT_UNSUPPORTED_SCHEME', "'data:'"],
    ['javascript:alert(1)', 'INPUT_UNSUPPORTED_SCHEME', "'javascript:'"],
    ['not a url', 'INPUT_INVALID_URL', "'not a url' is not a valid URL"],
    ['', 'INPUT_INVALID_URL', 'is not a valid URL'],
    ['/tmp/a.bin', 'INPUT_INVALID_URL', "'/tmp/a.bin' is not a valid URL"],
    ['http://', 'INPUT_INVALID_URL', "'http://'"],
    ['https://', 'INPUT_INVALID_URL', "'https://'"],
    ['http://exa mple.com/', 'INPUT_INVALID_URL', 'is not a valid URL'],
  ];
  for (const [url, code, fragment] of bad) {
    it(`refuses ${JSON.stringify(url)} with ${code}`, () => {
      assertFerry(() => checkRemoteName(url), code, fragment);
    });
  }

  it(
    'refuses a file: URL with a remote host off Windows',
    { skip: process.platform === 'win32' ? 'UNC paths are valid on Windows' : false },
    () => {
      assertFerry(
        () => checkRemoteName('file://server/share/a.bin'),
        'INPUT_INVALID_URL',
        'does not name a path on this machine',
      );
    },
  );

  it('refuses a file: URL with an encoded slash', { skip: process.platform === 'win32' }, () => {
    assertFerry(
      () => checkRemoteName('file:///tmp/a%2Fb'),
      'INPUT_INVALID_URL',
      'does not name a path on this machine',
    );
  });
});

describe('checkLocalName', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ferry-local-path-'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'existing.bin'), 'x');
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const checkLocal = (name: string): string => checkLocalName(name, join(root, 'data'));

  const relative = ['a.bin', './a.bin', '../a.bin', 'sub/a.bin', ''];
  for (const name of relative) {
    it(`refuses relative ${JSON.stringify(name)}`, () => {
      assertFerry(
        () => checkLocal(name),
        'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
        `localName '${name}' must be an absolute path`,
      );
    });
  }

  it('refuses a name in a missing folder', () => {
    const folder = join(root, 'missing');
    assertFerry(
      () => checkLocal(join(folder, 'a.bin')),
      'INPUT_FOLDER_NOT_WRITABLE',
      `localName '${join(folder, 'a.bin')}': its folder '${folder}' does not exist or is not writable`,
    );
  });

  it('refuses a name whose "folder" is a file', () => {
    assertFerry(
      () => checkLocal(join(root, 'existing.bin', 'a.bin')),
      'INPUT_FOLDER_NOT_WRITABLE',
      'does not exist or is not writable',
    );
  });

  it('refuses an existing directory', () => {
    const path = join(root, 'sub');
    assertFerry(
      () => checkLocal(path),
      'INPUT_FOLDER_NOT_WRITABLE',
      `localName '${path}' is a folder, not a file name`,
    );
  });

  it(
    'refuses a folder it cannot write to',
    {
      skip:
        process.platform === 'win32' || process.getuid?.() === 0 ? 'root writes anywhere' : false,
    },
    () => {
      const folder = join(root, 'read-only');
      mkdirSync(folder, { mode: 0o555 });
      assertFerry(
        () => checkLocal(join(folder, 'a.bin')),
        'INPUT_FOLDER_NOT_WRITABLE',
        'does not exist or is not writable',
      );
    },
  );

  it('accepts a new file in an existing folder', () => {
    const path = join(root, 'new.bin');
    assert.equal(checkLocal(path), path);
  });

  it('accepts an existing file (it will be replaced)', () => {
    const path = join(root, 'existing.bin');
    assert.equal(checkLocal(path), path);
  });

  it('normalises . and .. segments', () => {
    assert.equal(checkLocal(`${root}/sub/../sub/./x/../a.bin`), join(root, 'sub', 'a.bin'));
  });

  it('normalises doubled separators', () => {
    assert.equal(checkLocal(`${root}//sub///a.bin`), join(root, 'sub', 'a.bin'));
  });
});

describe('tempNameFor', () => {
  const JOB_A = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const JOB_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
  const local = join('/data', 'downloads', 'movie.mkv');

  it('is beside the destination, hidden, and marked as partial', () => {
    const temp = tempNameFor(local, JOB_A, 0);
    assert.equal(dirname(temp), dirname(local));
    assert.ok(basename(temp).startsWith('.'), temp);
    assert.ok(basename(temp).includes('movie.mkv'), temp);
    assert.ok(temp.endsWith('.ferry-part'), temp);
    assert.notEqual(temp, local);
  });

  it('is unique per job and per file index', () => {
    const names = [
      tempNameFor(local, JOB_A, 0),
      tempNameFor(local, JOB_A, 1),
      tempNameFor(local, JOB_A, 10),
      tempNameFor(local, JOB_B, 0),
      tempNameFor(local, JOB_B, 1),
    ];
    assert.equal(new Set(names).size, names.length);
  });

  it('is stable: the same inputs give the same name', () => {
    assert.equal(tempNameFor(local, JOB_A, 3), tempNameFor(local, JOB_A, 3));
  });

  it('caps long names so that the temp name stays a valid file name', () => {
    const long = join('/data', 'x'.repeat(255));
    const temp = basename(tempNameFor(long, JOB_A, 12345));
    assert.equal(Buffer.byteLength(temp), 255, `${Buffer.byteLength(temp)} bytes`);
    assert.ok(temp.startsWith(`.${'x'.repeat(200)}`), temp);
    assert.ok(temp.endsWith('-12345.ferry-part'), temp);
    // Two long names that share their first characters still differ by job and index.
    const other = join('/data', `${'x'.repeat(200)}-other`);
    assert.notEqual(tempNameFor(other, JOB_B, 0), tempNameFor(long, JOB_A, 0));
  });

  // Regression: the cap counted UTF-16 units, so a valid 244-byte name of CJK characters gave
  // a 267-byte temp name (ENAMETOOLONG on create). Linux and macOS count bytes.
  it('keeps the temp name within 255 bytes for multibyte names', () => {
    const local = join('/data', `${'文'.repeat(80)}.bin`);
    assert.ok(Buffer.byteLength(basename(local)) <= 255);
    const temp = basename(tempNameFor(local, JOB_A, 0));
    assert.ok(Buffer.byteLength(temp) <= 255, `${Buffer.byteLength(temp)} bytes`);
  });
});

describe('checkLocalName refuses what is not a file of the user', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ferry-local-path-'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });
  const checkLocal = (name: string): string => checkLocalName(name, join(root, 'data'));

  // Guards against: completing a job into `<data-dir>/rpc-token` replaced the token and
  // locked every client out; names in /dev, /proc or /sys, over 255 bytes or with NUL gave
  // INTERNAL (ENAMETOOLONG, Node's ERR_INVALID_ARG_VALUE) or wrote to a device.
  it('refuses a name inside the data directory, directly, below or through a link', () => {
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    symlinkSync(dataDir, join(root, 'link-to-data'));
    for (const path of [
      join(dataDir, 'rpc-token'),
      join(dataDir, 'logs', 'x.bin'),
      join(root, 'link-to-data', 'ferry.db'),
    ]) {
      assertFerry(() => checkLocal(path), 'INPUT_INVALID', "inside Ferry's data directory");
    }
  });

  it('refuses devices, pseudo-files, pipes, NUL and names over 255 bytes, naming localName', () => {
    mkfifoOrSkip(join(root, 'fifo'));
    const cases: [string, string][] = [
      ['/dev/null', 'must not be under /dev'],
      ['/proc/self/environ', 'must not be under /proc'],
      ['/sys/kernel/x', 'must not be under /sys'],
      [`${root}/../../dev/zero`, 'must not be under /dev'],
      [join(root, 'a\0b.bin'), 'NUL'],
      [join(root, `${'é'.repeat(128)}.bin`), 'longer than 255 bytes'],
      [join(root, 'NUL.txt'), 'device name'],
    ];
    if (existsSync(join(root, 'fifo'))) cases.push([join(root, 'fifo'), 'pipe or socket']);
    for (const [path, words] of cases) {
      assertFerry(() => checkLocal(path), 'INPUT_INVALID', words);
      assert.throws(() => checkLocal(path), /localName/);
    }
  });

  it('accepts a name of exactly 255 bytes', () => {
    const path = join(root, `${'a'.repeat(251)}.bin`);
    assert.equal(checkLocal(path), path);
  });
});

describe('ensureFolder (a --dest that does not exist yet)', () => {
  let root: string;
  let dataDir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ferry-ensure-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
    symlinkSync(dataDir, join(root, 'link-to-data'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a missing folder and its missing parents, and says it did', () => {
    const folder = join(root, 'new', 'deeper', 'dest');
    assert.deepEqual(ensureFolder(folder, dataDir), { path: folder, created: true });
    assert.ok(existsSync(folder));
    assert.deepEqual(ensureFolder(folder, dataDir), { path: folder, created: false });
  });

  it('leaves an existing folder alone (its files are checked one by one when added)', () => {
    assert.deepEqual(ensureFolder(dataDir, dataDir), { path: dataDir, created: false });
  });

  it('refuses a new folder inside the data directory, also through a link, creating nothing', () => {
    for (const folder of [join(dataDir, 'downloads', 'x'), join(root, 'link-to-data', 'sub')]) {
      assertFerry(() => ensureFolder(folder, dataDir), 'INPUT_INVALID', "Ferry's data directory");
    }
    assert.equal(existsSync(join(dataDir, 'downloads')), false);
    assert.equal(existsSync(join(dataDir, 'sub')), false);
  });

  it('refuses device folders, relative paths and a file in the way', () => {
    assertFerry(() => ensureFolder('/dev/ferry-dest', dataDir), 'INPUT_INVALID', 'under /dev');
    assertFerry(() => ensureFolder('/proc/x/y', dataDir), 'INPUT_INVALID', 'under /proc');
    assertFerry(
      () => ensureFolder('relative/dest', dataDir),
      'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
      'absolute',
    );
    writeFileSync(join(root, 'a-file'), 'x');
    assertFerry(
      () => ensureFolder(join(root, 'a-file'), dataDir),
      'INPUT_FOLDER_NOT_WRITABLE',
      'not a folder',
    );
    assertFerry(
      () => ensureFolder(join(root, 'a-file', 'below'), dataDir),
      'INPUT_FOLDER_NOT_WRITABLE',
      'Cannot create',
    );
  });
});

function mkfifoOrSkip(path: string): void {
  if (process.platform === 'win32') return;
  execFileSync('mkfifo', [path]);
}
