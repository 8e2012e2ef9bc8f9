// Regression: `ferry --help | head -1` (any reader that stops early) made ferry die on an
// unhandled EPIPE with a Node stack trace on stderr instead of stopping quietly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { FERRY_BIN } from './harness.js';
import { REPO_ROOT } from '../support/child-process.js';

describe('ferry writing to a closed pipe', () => {
  it('stops quietly with exit 0 when its reader has gone', async () => {
    const child = spawn(process.execPath, [FERRY_BIN, '--help'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader is gone before ferry writes a byte, so its first write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => {
        child.once('close', (code, signal) => {
          resolve({ code, signal });
        });
      },
    );
    assert.equal(stderr, '');
    assert.deepEqual(ended, { code: 0, signal: null });
  });
});
