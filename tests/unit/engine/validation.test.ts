// Content validation pieces: user digests, RFC 9530 headers, the in-order hash and the check of
// a real file on disk.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseUserDigest } from '../../../app/model/validation.js';
import { InOrderHash, hashFile } from '../../../main/engine/validation/content-hash.js';
import {
  announcedDigest,
  parseDigestDictionary,
} from '../../../main/engine/validation/digest-headers.js';
import { verifyFileDigest } from '../../../main/engine/validation/file-validation.js';
import { digestFromChecksumFile } from '../../../main/engine/validation/checksum-file.js';

const content = Buffer.from('Ferry checks what it downloads.\n'.repeat(1000));
const sha256 = createHash('sha256').update(content).digest();
const sha512 = createHash('sha512').update(content).digest();
const md5 = createHash('md5').update(content).digest();

describe('parseUserDigest', () => {
  it('accepts the usual spellings and lower-cases the hex', () => {
    const hex = sha256.toString('hex');
    for (const name of ['sha256', 'SHA-256', 'sha-256']) {
      assert.deepEqual(parseUserDigest(`${name}:${hex.toUpperCase()}`), {
        ok: true,
        digest: { algorithm: 'sha-256', hex, source: 'user' },
      });
    }
    assert.equal(parseUserDigest(`md5:${md5.toString('hex')}`).ok, true);
    assert.equal(parseUserDigest(`sha1:${'a'.repeat(40)}`).ok, true);
  });

  it('names what is wrong: no algorithm, an unknown one, a wrong length, non-hex', () => {
    const problem = (text: string): string => {
      const parsed = parseUserDigest(text);
      assert.ok(!parsed.ok);
      return parsed.problem;
    };
    assert.match(problem('abcdef'), /must be "algorithm:hex"/);
    assert.match(problem('crc32:abcd'), /unknown algorithm 'crc32'/);
    assert.match(problem('sha256:abcd'), /64 hex digits for sha-256/);
    assert.match(problem(`sha256:${'g'.repeat(64)}`), /64 hex digits/);
  });
});

describe('Repr-Digest and Content-Digest (RFC 9530)', () => {
  const b64 = (digest: Buffer): string => `:${digest.toString('base64')}:`;

  it('keeps the strongest algorithm announced', () => {
    const value = `sha-256=${b64(sha256)}, sha-512=${b64(sha512)}, md5=${b64(md5)}`;
    assert.deepEqual(parseDigestDictionary(value), {
      algorithm: 'sha-512',
      hex: sha512.toString('hex'),
      source: 'server',
    });
  });

  it('ignores unknown algorithms, malformed members and wrong lengths', () => {
    assert.equal(parseDigestDictionary('unixsum=:AAAA:, sha-256=notbytes'), null);
    assert.equal(parseDigestDictionary(`sha-256=${b64(md5)}`), null);
    assert.equal(parseDigestDictionary(undefined), null);
  });

  it('reads Repr-Digest from a 206, Content-Digest only from a 200 in identity encoding', () => {
    const header = `sha-256=${b64(sha256)}`;
    assert.equal(announcedDigest({ 'repr-digest': header }, 206)?.hex, sha256.toString('hex'));
    assert.equal(announcedDigest({ 'content-digest': header }, 206), null);
    assert.equal(announcedDigest({ 'content-digest': header }, 200)?.algorithm, 'sha-256');
    assert.equal(
      announcedDigest({ 'content-digest': header, 'content-encoding': 'gzip' }, 200),
      null,
    );
  });
});

describe('digestFromChecksumFile', () => {
  const sha = sha256.toString('hex');
  it('reads a bare digest, the GNU and BSD formats, and picks the line of the file', () => {
    assert.deepEqual(digestFromChecksumFile(`${sha}\n`, 'f.iso'), {
      algorithm: 'sha-256',
      hex: sha,
      source: 'checksum-file',
    });
    const sums = `# release\n${'1'.repeat(64)}  a.iso\n${sha} *dir/f.iso\n`;
    assert.deepEqual(digestFromChecksumFile(sums, 'f.iso'), digestFromChecksumFile(sha, 'x'));
    const bsd = `MD5 (f.iso) = ${md5.toString('hex').toUpperCase()}`;
    assert.equal((digestFromChecksumFile(bsd, 'f.iso') as { algorithm: string }).algorithm, 'md5');
  });

  it('says what is wrong: no digest, none for the file, an unknown length', () => {
    const problem = (text: string): string => {
      const found = digestFromChecksumFile(text, 'f.iso');
      assert.equal(typeof found, 'string');
      return typeof found === 'string' ? found : '';
    };
    assert.equal(problem('<html>404</html>'), 'it holds no digest');
    assert.match(problem(`${sha}  a.iso\n${sha}  b.iso`), /lists 2 digests, none for f.iso/);
    assert.match(problem('abcd'), /4 hex digits/);
  });
});

describe('InOrderHash', () => {
  it('hashes bytes received front to back, and starts over from offset 0', () => {
    const hash = new InOrderHash('sha-256');
    hash.update(0, content.subarray(0, 100));
    // A restart from zero: the first 100 bytes are forgotten.
    hash.update(0, content.subarray(0, 1000));
    hash.update(1000, content.subarray(1000));
    assert.equal(hash.digestOf(content.length), sha256.toString('hex'));
  });

  it('gives up on a gap or a resume, and on a size that does not match', () => {
    const gap = new InOrderHash('sha-256');
    gap.update(0, content.subarray(0, 10));
    gap.update(20, content.subarray(20));
    assert.equal(gap.digestOf(content.length), null);
    const resumed = new InOrderHash('sha-256');
    resumed.update(500, content.subarray(500));
    assert.equal(resumed.digestOf(content.length), null);
    const short = new InOrderHash('sha-256');
    short.update(0, content.subarray(0, 10));
    assert.equal(short.digestOf(content.length), null);
  });
});

describe('verifyFileDigest on a real file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-validation-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'f.bin.ferry');
  writeFileSync(path, content);
  const file = { index: 3, localName: join(dir, 'f.bin'), tempName: path, size: content.length };

  it('reads the file when nothing was hashed in order, and passes a match', async () => {
    assert.equal(await hashFile(path, 'md5'), md5.toString('hex'));
    const expected = { algorithm: 'sha-512', hex: sha512.toString('hex'), source: 'user' } as const;
    assert.equal(await verifyFileDigest(file, expected, null), null);
  });

  it('a mismatch names the file, the expected and the actual digest', async () => {
    const wrong = { algorithm: 'sha-256', hex: 'ab'.repeat(32), source: 'server' } as const;
    const error = await verifyFileDigest(file, wrong, null);
    assert.equal(error?.code, 'FILE_VALIDATION_FAILED');
    assert.equal(error.fileIndex, 3);
    assert.match(error.message, /File 3 \(.*f\.bin\) failed validation/);
    assert.match(error.message, new RegExp(`expected sha-256 ${'ab'.repeat(32)}`));
    assert.match(error.message, new RegExp(`got ${sha256.toString('hex')}`));
    assert.match(error.message, /announced by the server/);
  });

  it('uses the in-order hash when it covers the file (the file on disk is not read)', async () => {
    const hash = new InOrderHash('sha-256');
    hash.update(0, content);
    const other = { ...file, tempName: join(dir, 'missing') };
    const expected = { algorithm: 'sha-256', hex: sha256.toString('hex'), source: 'user' } as const;
    assert.equal(await verifyFileDigest(other, expected, hash), null);
  });
});
