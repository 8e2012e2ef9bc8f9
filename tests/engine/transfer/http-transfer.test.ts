// The HTTP transfer against the fault-injecting test server on 127.0.0.1: full downloads,
// resume with If-Range, restarts when the remote file changed, redirects, error statuses,
// dropped connections and aborts. Every transfer's checkpoints are checked against the file's
// size on disk at the moment they are reported (data first, then the record).
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { DEFAULT_PROXY_SETTINGS, FerryError } from '../../../app/index.js';
import type { ProxySettings } from '../../../app/index.js';
import { createDispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import type { DispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import { runTransfer } from '../../../main/engine/transfer/index.js';
import type { FileTransferRequest } from '../../../main/engine/transfer/types.js';
import { DEFAULT_RETRY_POLICY, isTransient } from '../../../main/engine/retry-policy.js';
import {
  DEFAULT_LAST_MODIFIED,
  contentEtag,
  readTestFileRange,
  sha256OfTestFile,
  startTestServer,
} from '../../support/http-server.js';
import type { TestFileBody, TestServer } from '../../support/http-server.js';
import { startRecordingProxy } from '../../support/recording-proxy.js';
import type { RecordingProxy } from '../../support/recording-proxy.js';
import {
  Targets,
  makeRequest,
  makeScratch,
  record,
  rejection,
  sha256OfPath,
} from './transfer-harness.js';
import type { Recorder, Scratch } from './transfer-harness.js';

const MiB = 1024 * 1024;
const BIG: TestFileBody = { size: 3 * MiB + 123, seed: 7 };
const OTHER: TestFileBody = { size: 3 * MiB + 123, seed: 8 };
const BIG_SHA = sha256OfTestFile(BIG);

let server: TestServer;
let proxy: RecordingProxy;
let pool: DispatcherPool;
let scratch: Scratch;
let targets: Targets;

before(async () => {
  server = await startTestServer();
  proxy = await startRecordingProxy();
  pool = createDispatcherPool({ connectTimeoutMs: 2000, env: {} });
  scratch = makeScratch('ferry-http-transfer-');
  targets = new Targets(scratch);
});

after(async () => {
  await pool.close();
  await proxy.close();
  await server.close();
  scratch.cleanup();
});

afterEach(() => {
  targets.assertNoViolations();
});

function target(): { tempPath: string; rec: Recorder } {
  return targets.next();
}

function request(
  path: string,
  tempPath: string,
  extra: Partial<FileTransferRequest> = {},
  proxySettings: ProxySettings = DEFAULT_PROXY_SETTINGS,
): FileTransferRequest {
  return makeRequest({
    remoteUrl: server.url(path),
    tempPath,
    connectionFor: (url) => pool.connectionFor(url, proxySettings),
    ...extra,
  });
}

/** Whether the file at `path` holds exactly the first bytes of `body`. */
function isPrefixOf(path: string, body: TestFileBody): boolean {
  const bytes = readFileSync(path);
  return bytes.equals(readTestFileRange(body, 0, bytes.length));
}

function assertFerry(error: unknown, code: string): FerryError {
  assert.ok(error instanceof FerryError, `expected a FerryError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

describe('transferHttp', () => {
  it('downloads a whole file with its validator and a final checkpoint', async () => {
    server.setFile('/full.bin', { body: BIG });
    const { tempPath, rec } = target();
    const result = await runTransfer(
      request('/full.bin', tempPath, { headers: ['X-Ferry-Test: yes'] }),
      rec.callbacks,
    );
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
    assert.deepEqual(result, {
      totalBytes: BIG.size,
      validator: { etag: contentEtag(BIG), lastModified: DEFAULT_LAST_MODIFIED },
      finalUrl: server.url('/full.bin'),
    });
    assert.deepEqual(rec.starts(), [
      {
        offset: 0,
        totalBytes: BIG.size,
        validator: result.validator,
        restarted: false,
        finalUrl: result.finalUrl,
        contentDisposition: null,
      },
    ]);
    assert.equal(rec.lastCheckpoint(), BIG.size);
    // Syncs run beside the writes and coalesce while one is in flight, so a fast body gets
    // fewer than one per policy window, but never only the final one.
    const points = rec.checkpoints();
    assert.ok(points.length >= 2, 'a checkpoint before the final one');
    assert.deepEqual(
      points,
      [...points].sort((x, y) => x - y),
      'checkpoints never go back',
    );
    const sent = server.requests.at(-1);
    assert.ok(sent);
    assert.equal(sent.headers['x-ferry-test'], 'yes');
    assert.equal(sent.headers['user-agent'], 'Ferry-test/1.0');
    assert.equal(sent.headers['accept-encoding'], 'identity');
    assert.equal(sent.headers.range, undefined);
  });

  it('resumes from the offset with Range and If-Range, fetching only the remainder', async () => {
    server.setFile('/resume.bin', { body: BIG });
    server.reset();
    const { tempPath, rec } = target();
    const offset = MiB + 17;
    writeFileSync(tempPath, readTestFileRange(BIG, 0, offset));
    await runTransfer(
      request('/resume.bin', tempPath, {
        offset,
        totalBytes: BIG.size,
        validator: { etag: contentEtag(BIG), lastModified: DEFAULT_LAST_MODIFIED },
      }),
      rec.callbacks,
    );
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
    assert.equal(server.requests.length, 1);
    const [sent] = server.requests;
    assert.ok(sent);
    assert.equal(sent.headers.range, `bytes=${offset}-`);
    assert.equal(sent.headers['if-range'], contentEtag(BIG));
    assert.equal(sent.status, 206);
    assert.equal(server.bytesSent('/resume.bin'), BIG.size - offset);
    assert.equal(rec.starts()[0]?.offset, offset);
    assert.equal(rec.starts()[0]?.restarted, false);
  });

  it('sends Last-Modified as If-Range when the recorded ETag is weak', async () => {
    server.setFile('/weak.bin', { body: BIG, etag: 'W/"weak"' });
    server.reset();
    const { tempPath, rec } = target();
    writeFileSync(tempPath, readTestFileRange(BIG, 0, MiB));
    await runTransfer(
      request('/weak.bin', tempPath, {
        offset: MiB,
        totalBytes: BIG.size,
        validator: { etag: 'W/"weak"', lastModified: DEFAULT_LAST_MODIFIED },
      }),
      rec.callbacks,
    );
    const [sent] = server.requests;
    assert.ok(sent);
    assert.equal(sent.headers['if-range'], DEFAULT_LAST_MODIFIED);
    assert.equal(sent.status, 206);
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
  });

  it('restarts from zero when the ETag changed, reporting the restart before truncating', async () => {
    server.setFile('/changed.bin', { body: BIG });
    server.reset();
    const { tempPath, rec } = target();
    const offset = 2 * MiB;
    writeFileSync(tempPath, readTestFileRange(OTHER, 0, offset));
    await runTransfer(
      request('/changed.bin', tempPath, {
        offset,
        totalBytes: OTHER.size,
        validator: { etag: contentEtag(OTHER), lastModified: DEFAULT_LAST_MODIFIED },
      }),
      rec.callbacks,
    );
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
    const first = rec.events[0];
    assert.ok(first?.kind === 'start');
    assert.equal(first.start.restarted, true);
    assert.equal(first.start.offset, 0);
    assert.equal(first.sizeOnDisk, offset, 'onStart(restarted) comes before the truncation');
    assert.equal(server.requests.length, 1, 'the 200 body of the If-Range request is used');
    assert.equal(server.requests[0]?.status, 200);
  });

  it('issues a fresh GET when a 206 carries a conflicting validator', async () => {
    // If-Range used Last-Modified (weak recorded ETag), so the server honoured the range even
    // though its ETag differs from the recorded one.
    server.setFile('/conflict.bin', { body: BIG });
    server.reset();
    const { tempPath, rec } = target();
    writeFileSync(tempPath, readTestFileRange(OTHER, 0, MiB));
    await runTransfer(
      request('/conflict.bin', tempPath, {
        offset: MiB,
        totalBytes: BIG.size,
        validator: { etag: 'W/"old"', lastModified: DEFAULT_LAST_MODIFIED },
      }),
      rec.callbacks,
    );
    assert.deepEqual(
      server.requests.map((r) => [r.status, r.headers.range]),
      [
        [206, `bytes=${MiB}-`],
        [200, undefined],
      ],
    );
    assert.equal(rec.starts()[0]?.restarted, true);
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
  });

  it('restarts with the same 200 body when the server ignores ranges', async () => {
    server.setFile('/noranges.bin', { body: BIG, ranges: false });
    server.reset();
    const { tempPath, rec } = target();
    writeFileSync(tempPath, readTestFileRange(BIG, 0, MiB));
    await runTransfer(
      request('/noranges.bin', tempPath, {
        offset: MiB,
        totalBytes: BIG.size,
        validator: { etag: contentEtag(BIG), lastModified: DEFAULT_LAST_MODIFIED },
      }),
      rec.callbacks,
    );
    assert.equal(server.requests.length, 1);
    assert.equal(server.bytesSent('/noranges.bin'), BIG.size);
    assert.equal(rec.starts()[0]?.restarted, true);
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
  });

  it('treats 416 at the recorded size as already complete', async () => {
    server.setFile('/done.bin', { body: BIG });
    const { tempPath, rec } = target();
    writeFileSync(tempPath, readTestFileRange(BIG, 0, BIG.size));
    const result = await runTransfer(
      request('/done.bin', tempPath, {
        offset: BIG.size,
        totalBytes: BIG.size,
        validator: { etag: contentEtag(BIG), lastModified: DEFAULT_LAST_MODIFIED },
      }),
      rec.callbacks,
    );
    assert.equal(result.totalBytes, BIG.size);
    assert.equal(rec.lastCheckpoint(), BIG.size);
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
  });

  it('downloads a body without Content-Length and reports its size at the end', async () => {
    server.setFile('/chunked.bin', { body: BIG, sendLength: false });
    const { tempPath, rec } = target();
    const result = await runTransfer(request('/chunked.bin', tempPath), rec.callbacks);
    assert.equal(rec.starts()[0]?.totalBytes, null);
    assert.equal(result.totalBytes, BIG.size);
    assert.equal(rec.lastCheckpoint(), BIG.size);
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
  });

  it('follows a redirect chain and reports the final URL', async () => {
    server.setFile('/target.bin', { body: Buffer.from('redirected body') });
    server.redirect('/r1', '/r2', 301);
    server.redirect('/r2', server.url('/target.bin'), 307);
    const { tempPath, rec } = target();
    const result = await runTransfer(request('/r1', tempPath), rec.callbacks);
    assert.equal(result.finalUrl, server.url('/target.bin'));
    assert.equal(rec.starts()[0]?.finalUrl, server.url('/target.bin'));
    assert.equal(readFileSync(tempPath, 'utf8'), 'redirected body');
  });

  it('refuses redirect loops, too many redirects and non-http redirects', async () => {
    server.redirect('/loop-a', '/loop-b');
    server.redirect('/loop-b', '/loop-a');
    server.redirect('/hop1', '/hop2');
    server.redirect('/hop2', '/hop3');
    server.redirect('/hop3', '/target.bin');
    server.redirect('/ftp', 'ftp://127.0.0.1/file');
    const { tempPath, rec } = target();
    assertFerry(
      await rejection(runTransfer(request('/loop-a', tempPath), rec.callbacks)),
      'HTTP_REDIRECT_LOOP',
    );
    const tooMany = request('/hop1', tempPath, {
      limits: {
        maxRedirects: 2,
        connectTimeoutMs: 2000,
        headersTimeoutMs: 3000,
        bodyIdleTimeoutMs: 3000,
      },
    });
    assertFerry(await rejection(runTransfer(tooMany, rec.callbacks)), 'HTTP_TOO_MANY_REDIRECTS');
    assertFerry(
      await rejection(runTransfer(request('/ftp', tempPath), rec.callbacks)),
      'HTTP_BAD_REDIRECT',
    );
    assert.deepEqual(rec.events, [], 'nothing is reported before a response is accepted');
  });

  it('maps 404 and 503 with Retry-After', async () => {
    server.setFile('/missing.bin', { body: Buffer.alloc(0), status: 404 });
    server.setFile('/busy.bin', {
      body: BIG,
      failFirst: { count: 1, status: 503, retryAfter: '7' },
    });
    const { tempPath, rec } = target();
    const notFound = assertFerry(
      await rejection(runTransfer(request('/missing.bin', tempPath), rec.callbacks)),
      'HTTP_NOT_FOUND',
    );
    assert.equal(notFound.httpStatus, 404);
    assert.equal(notFound.context, 'REMOTE_FILE');
    assert.equal(notFound.message, `HTTP 404 Not Found for ${server.url('/missing.bin')}`);
    const busy = assertFerry(
      await rejection(runTransfer(request('/busy.bin', tempPath), rec.callbacks)),
      'HTTP_SERVER_ERROR',
    );
    assert.equal(busy.retryAfter, 7);
    assert.equal(busy.context, 'GENERAL_TRANSPORT');
  });

  it('keeps a correct, checkpointed prefix when the connection drops, then resumes', async () => {
    const body: TestFileBody = { size: 2 * MiB, seed: 11 };
    server.setFile('/drop.bin', { body, dropAfterBytes: 700_000, dropAfterBytesTimes: 1 });
    server.reset();
    const { tempPath, rec } = target();
    const error = await rejection(runTransfer(request('/drop.bin', tempPath), rec.callbacks));
    assert.ok(error instanceof FerryError);
    assert.ok(
      ['NET_CONNECTION_RESET', 'HTTP_LENGTH_MISMATCH'].includes(error.code),
      `${error.code}: ${error.message}`,
    );
    const saved = rec.lastCheckpoint() ?? 0;
    assert.ok(saved > 0 && saved <= server.bytesSent('/drop.bin'), `checkpoint ${saved}`);
    assert.ok(statSync(tempPath).size >= saved);
    assert.ok(isPrefixOf(tempPath, body));

    // The engine truncates to the record before resuming; do the same.
    writeFileSync(tempPath, readFileSync(tempPath).subarray(0, saved));
    const resumed = targets.watch(record(tempPath));
    const [start] = rec.starts();
    await runTransfer(
      request('/drop.bin', tempPath, {
        offset: saved,
        totalBytes: body.size,
        validator: start?.validator ?? null,
      }),
      resumed.callbacks,
    );
    assert.equal(resumed.starts()[0]?.restarted, false);
    assert.equal(sha256OfPath(tempPath), sha256OfTestFile(body));
  });

  it('reports a body shorter than its Content-Length as HTTP_LENGTH_MISMATCH', async () => {
    const body = Buffer.alloc(100 * 1024, 7);
    server.setFile('/liar.bin', { body, lieLength: 200 * 1024 });
    const { tempPath, rec } = target();
    const error = assertFerry(
      await rejection(runTransfer(request('/liar.bin', tempPath), rec.callbacks)),
      'HTTP_LENGTH_MISMATCH',
    );
    assert.equal(error.context, 'GENERAL_TRANSPORT');
    assert.equal(rec.lastCheckpoint(), body.length);
    assert.ok(isPrefixOf(tempPath, body));
  });

  it('times out slow response headers as NET_TIMEOUT', async () => {
    server.setFile('/slow.bin', { body: Buffer.alloc(10), headerDelayMs: 5000 });
    const { tempPath, rec } = target();
    const error = assertFerry(
      await rejection(
        runTransfer(
          request('/slow.bin', tempPath, {
            limits: {
              maxRedirects: 5,
              connectTimeoutMs: 2000,
              headersTimeoutMs: 200,
              bodyIdleTimeoutMs: 3000,
            },
          }),
          rec.callbacks,
        ),
      ),
      'NET_TIMEOUT',
    );
    assert.equal(error.sysCode, 'UND_ERR_HEADERS_TIMEOUT');
  });

  it('saves what arrived and rejects with the reason when aborted', async () => {
    const body: TestFileBody = { size: 8 * MiB, seed: 3 };
    server.setFile('/slow-body.bin', { body, throttleBytesPerSec: 2 * MiB });
    const { tempPath, rec } = target();
    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    const running = runTransfer(
      request('/slow-body.bin', tempPath, { signal: controller.signal }),
      rec.callbacks,
    );
    setTimeout(() => {
      controller.abort(reason);
    }, 400);
    assert.equal(await rejection(running), reason);
    const saved = rec.lastCheckpoint();
    assert.ok(saved !== undefined && saved > 0);
    assert.equal(statSync(tempPath).size, saved, 'last checkpoint == bytes on disk');
    assert.ok(isPrefixOf(tempPath, body));
  });

  it('goes through the job proxy with OVERRIDE', async () => {
    server.setFile('/proxied.bin', { body: BIG });
    proxy.reset();
    const { tempPath, rec } = target();
    const settings: ProxySettings = {
      usage: 'OVERRIDE',
      proxyList: [proxy.origin],
      bypassList: [],
    };
    await runTransfer(request('/proxied.bin', tempPath, {}, settings), rec.callbacks);
    assert.equal(sha256OfPath(tempPath), BIG_SHA);
    // An http URL is forwarded in absolute form, never tunnelled: Squid's stock policy
    // refuses CONNECT to port 80 (issue 14).
    assert.deepEqual(
      proxy.log.map((e) => `${e.method} ${e.target}`),
      [`GET ${server.url('/proxied.bin')}`],
    );
  });

  it('sends proxy credentials from the proxy URI; a 407 is final and says what to fix', async () => {
    const guarded = await startRecordingProxy({ auth: { username: 'ferry', password: 's3cret' } });
    try {
      server.setFile('/guarded.bin', { body: Buffer.from('through an authenticated proxy') });
      const { tempPath, rec } = target();
      const withAuth = `http://ferry:s3cret@${new URL(guarded.origin).host}`;
      const ok: ProxySettings = { usage: 'OVERRIDE', proxyList: [withAuth], bypassList: [] };
      await runTransfer(request('/guarded.bin', tempPath, {}, ok), rec.callbacks);
      assert.equal(readFileSync(tempPath, 'utf8'), 'through an authenticated proxy');

      const refused: ProxySettings = {
        usage: 'OVERRIDE',
        proxyList: [guarded.origin],
        bypassList: [],
      };
      assert.deepEqual(
        guarded.log.map((e) => [e.method, e.target, e.proxyAuthorization]),
        [
          [
            'GET',
            server.url('/guarded.bin'),
            `Basic ${Buffer.from('ferry:s3cret').toString('base64')}`,
          ],
        ],
      );
      const missing = assertFerry(
        await rejection(runTransfer(request('/guarded.bin', tempPath, {}, refused), rec.callbacks)),
        'HTTP_ACCESS_DENIED',
      );
      assert.equal(missing.httpStatus, 407);
      assert.equal(missing.context, 'GENERAL_TRANSPORT');
      // No URL-shaped example: CLI output masks any scheme://user:password@ it prints.
      assert.match(
        missing.message,
        /requires a user name and password.*as user:password@host:port/,
      );
      assert.equal(isTransient(DEFAULT_RETRY_POLICY, missing), false);

      const wrong: ProxySettings = {
        usage: 'OVERRIDE',
        proxyList: [`http://ferry:wrong@${new URL(guarded.origin).host}`],
        bypassList: [],
      };
      const rejected = assertFerry(
        await rejection(runTransfer(request('/guarded.bin', tempPath, {}, wrong), rec.callbacks)),
        'HTTP_ACCESS_DENIED',
      );
      assert.match(rejected.message, /rejected the user name and password/);
      assert.doesNotMatch(rejected.message, /wrong/, 'the password is never shown');
    } finally {
      await guarded.close();
    }
  });

  it('reports a temporary path under a regular file as DISK_PATH_INVALID', async () => {
    // Runs as root, so permissions cannot make a directory unwritable; a file as the parent
    // directory fails for every user (ENOTDIR).
    server.setFile('/small.bin', { body: Buffer.from('x') });
    const blocker = scratch.file('not-a-dir');
    writeFileSync(blocker, 'file');
    const rec = record(`${blocker}/t.tmp`);
    const error = assertFerry(
      await rejection(runTransfer(request('/small.bin', `${blocker}/t.tmp`), rec.callbacks)),
      'DISK_PATH_INVALID',
    );
    assert.equal(error.context, 'LOCAL_FILE');
    assert.equal(error.sysCode, 'ENOTDIR');
  });

  it('rejects unsupported schemes before touching the file', async () => {
    const { tempPath, rec } = target();
    const req = { ...request('/x', tempPath), remoteUrl: 'ftp://127.0.0.1/x' };
    assertFerry(await rejection(runTransfer(req, rec.callbacks)), 'INPUT_UNSUPPORTED_SCHEME');
    assert.equal(statSync(tempPath, { throwIfNoEntry: false }), undefined);
  });
});
