import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FerryErrorCode } from '../../../app/index.js';
import { FerryError } from '../../../app/index.js';
import { checkLocalName, checkRemoteName, tempNameFor } from '../../../main/engine/local-path.js';

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
    ['ftp://example.com/a.bin', 'INPUT_UNSUPPORTED_SCHEME', "Unsupported URL scheme 'ftp:'"],
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

  const relative = ['a.bin', './a.bin', '../a.bin', 'sub/a.bin', ''];
  for (const name of relative) {
    it(`refuses relative ${JSON.stringify(name)}`, () => {
      assertFerry(
        () => checkLocalName(name),
        'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
        `Local name '${name}' must be an absolute path`,
      );
    });
  }

  it('refuses a name in a missing folder', () => {
    const folder = join(root, 'missing');
    assertFerry(
      () => checkLocalName(join(folder, 'a.bin')),
      'INPUT_FOLDER_NOT_WRITABLE',
      `Folder '${folder}' for 'a.bin' does not exist or is not writable`,
    );
  });

  it('refuses a name whose "folder" is a file', () => {
    assertFerry(
      () => checkLocalName(join(root, 'existing.bin', 'a.bin')),
      'INPUT_FOLDER_NOT_WRITABLE',
      'does not exist or is not writable',
    );
  });

  it('refuses an existing directory', () => {
    const path = join(root, 'sub');
    assertFerry(
      () => checkLocalName(path),
      'INPUT_FOLDER_NOT_WRITABLE',
      `Local name '${path}' is a folder, not a file name`,
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
        () => checkLocalName(join(folder, 'a.bin')),
        'INPUT_FOLDER_NOT_WRITABLE',
        'does not exist or is not writable',
      );
    },
  );

  it('accepts a new file in an existing folder', () => {
    const path = join(root, 'new.bin');
    assert.equal(checkLocalName(path), path);
  });

  it('accepts an existing file (it will be replaced)', () => {
    const path = join(root, 'existing.bin');
    assert.equal(checkLocalName(path), path);
  });

  it('normalises . and .. segments', () => {
    assert.equal(checkLocalName(`${root}/sub/../sub/./x/../a.bin`), join(root, 'sub', 'a.bin'));
  });

  it('normalises doubled separators', () => {
    assert.equal(checkLocalName(`${root}//sub///a.bin`), join(root, 'sub', 'a.bin'));
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
