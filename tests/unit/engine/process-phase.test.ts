// processPhase tells a running process from one on its way out (which may still hold its file
// locks for a moment) and from none at all: the engine lock waits only for the second kind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { processPhase } from '../../../main/engine/process-phase.js';

describe('processPhase', () => {
  it('a running process', () => {
    assert.equal(processPhase(process.pid), process.platform === 'linux' ? 'running' : 'unknown');
  });

  it('a process that has exited and been reaped is gone', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const pid = child.pid;
    assert.ok(pid !== undefined);
    await once(child, 'close');
    assert.equal(processPhase(pid), 'gone');
  });

  it('nonsense pids are gone', () => {
    assert.equal(processPhase(0), 'gone');
    assert.equal(processPhase(-1), 'gone');
    assert.equal(processPhase(1.5), 'gone');
  });

  it('a zombie (exited, not yet reaped) is exiting', async () => {
    // The shell starts `sleep 0` in the background and replaces itself with `sleep`, which never
    // reaps it: `sleep 0` stays a zombie until the sleep ends.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
      const zombie = Number(line);
      let phase = processPhase(zombie);
      // Until `sleep 0` has actually exited it runs; it exits within milliseconds.
      for (let i = 0; i < 200 && phase === 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        phase = processPhase(zombie);
      }
      assert.equal(phase, process.platform === 'linux' ? 'exiting' : 'unknown');
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
