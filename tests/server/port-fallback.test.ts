// Regression: the rpcPort setting is the same for every data directory, so a private instance
// (`ferry --data-dir D` auto-starting `ferry serve`) failed with "port in use" while the
// default server ran. Without an explicit --port the server now takes a free port.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { createEngine } from '../../main/engine/index.js';
import { runServer } from '../../main/server/index.js';
import { makeTempDir } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let blocker: Server;
let takenPort: number;

before(async () => {
  dir = makeTempDir();
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  assert.ok(address !== null && typeof address === 'object');
  takenPort = address.port;
});

after(async () => {
  await new Promise<void>((resolve) =>
    blocker.close(() => {
      resolve();
    }),
  );
  dir.cleanup();
});

async function dataDirWithPort(name: string): Promise<string> {
  const dataDir = join(dir.path, name);
  const engine = createEngine({ dataDir, env: {}, onWarning: () => undefined });
  engine.setAppSettings({ rpcPort: takenPort });
  await engine.close();
  return dataDir;
}

describe('runServer port', () => {
  it('takes a free port when the configured one is in use and no --port was given', async () => {
    const warnings: string[] = [];
    const running = await runServer({
      dataDir: await dataDirWithPort('fallback'),
      staticDir: null,
      handleSignals: false,
      print: () => undefined,
      onWarning: (message) => warnings.push(message),
    });
    try {
      assert.notEqual(running.port, takenPort);
      assert.ok(warnings.some((w) => w.includes(`port ${String(takenPort)} is in use`)));
      const response = await fetch(`http://127.0.0.1:${String(running.port)}/`);
      assert.equal(response.status, 200);
    } finally {
      await running.close();
    }
  });

  it('refuses with a message naming the port when --port asked for a taken one', async () => {
    await assert.rejects(
      runServer({
        dataDir: await dataDirWithPort('explicit'),
        port: takenPort,
        staticDir: null,
        handleSignals: false,
        print: () => undefined,
        onWarning: () => undefined,
      }),
      (error: Error) => error.message.includes(`Port ${String(takenPort)}`),
    );
  });
});
