// Browser integration as the engine host enforces it: an extension must be paired by the user
// before anything it hands over reaches the engine; a hand-off becomes a job named as the
// browser would have named the file, sent with the browser's Referer, Cookie and User-Agent.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type {
  Envelope,
  EventPayloads,
  ExtensionRef,
  IntegrationState,
  JobDetails,
} from '../../app/index.js';
import { INTEGRATION_BROWSERS } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost, createLocalClient } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { makeTempDir, startEngine, waitFor } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';

const CHROMIUM: ExtensionRef = {
  browser: 'chromium',
  extensionId: 'bnkancopcdgnnfppgbepbplhmbojaieo',
};
const FIREFOX: ExtensionRef = { browser: 'firefox', extensionId: 'ferry-extension@ferry.app' };

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let server: TestServer;

before(async () => {
  dir = makeTempDir();
  engine = startEngine(dir);
  engine.setAppSettings({ downloadFolder: dir.file('downloads') });
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test' });
  server = await startTestServer();
  server.setFile('/files/report.pdf', { body: Buffer.from('%PDF-1.7 report') });
});

after(async () => {
  host.close();
  await engine.close();
  await server.close();
  dir.cleanup();
});

afterEach(async () => {
  // Each test starts unpaired and with no jobs.
  for (const ref of [CHROMIUM, FIREFOX]) await host.invoke('browser.revoke', { extension: ref });
  for (const job of engine.enumJobs({ allUsers: true })) await job.cancel();
  engine.clearHistory();
});

async function call(command: string, input: unknown): Promise<unknown> {
  const envelope = await host.invoke(command, input);
  if (!envelope.ok) throw new Error(`${command} failed: ${envelope.error.message}`);
  return envelope.value;
}

function codeOf(envelope: Envelope<unknown>): string | null {
  return envelope.ok ? null : envelope.error.code;
}

function messageOf(envelope: Envelope<unknown>): string {
  return envelope.ok ? '' : envelope.error.message;
}

async function jobCount(): Promise<number> {
  return ((await call('jobs.enum', { includeHistory: true })) as JobDetails[]).length;
}

const handOff = (extension: ExtensionRef, url: string) =>
  host.invoke('browser.handOff', {
    extension,
    items: [
      {
        url,
        referrer: `${server.origin}/page.html`,
        fileName: 'Quarterly report.pdf',
        cookie: 'session=abc123; theme=dark',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0',
      },
    ],
  });

describe('browser pairing', () => {
  it('refuses an unknown extension, asks the window once, and lets it in once allowed', async () => {
    const window = createLocalClient(host);
    const seen: EventPayloads['pairingsChanged'][] = [];
    window.on('pairingsChanged', (payload) => seen.push(payload));

    const refused = await handOff(CHROMIUM, server.url('/files/report.pdf'));
    assert.equal(refused.ok, false);
    assert.equal(codeOf(refused), 'RPC_NOT_PAIRED');
    assert.equal(await jobCount(), 0, 'nothing reached the engine');

    const first = (await call('browser.pair', {
      extension: CHROMIUM,
      label: 'Ferry for Chromium',
    })) as {
      status: string;
    };
    assert.equal(first.status, 'pending');
    const again = (await call('browser.pair', {
      extension: CHROMIUM,
      label: 'Ferry for Chromium',
    })) as {
      status: string;
    };
    assert.equal(again.status, 'pending');
    assert.equal(seen.length, 1, 'the window is asked once per request, not once per message');
    assert.deepEqual(
      seen[0]?.pairings.pending.map((p) => [p.extensionId, p.label]),
      [[CHROMIUM.extensionId, 'Ferry for Chromium']],
    );
    const waiting = await handOff(CHROMIUM, server.url('/files/report.pdf'));
    assert.match(messageOf(waiting), /waits for an answer/);

    await call('browser.decide', { extension: CHROMIUM, allow: true });
    assert.deepEqual(seen.at(-1)?.pairings.pending, []);
    assert.equal(engine.getAppSettings().pairedExtensions[0]?.extensionId, CHROMIUM.extensionId);
    const paired = (await call('browser.pair', { extension: CHROMIUM, label: 'x' })) as {
      status: string;
    };
    assert.equal(paired.status, 'paired');
    window.disconnect();
  });

  it('keeps a refusal for this run: the extension cannot ask again and again', async () => {
    await call('browser.pair', { extension: FIREFOX, label: 'Ferry for Firefox' });
    await call('browser.decide', { extension: FIREFOX, allow: false });
    const status = (await call('browser.pair', { extension: FIREFOX, label: 'again' })) as {
      status: string;
    };
    assert.equal(status.status, 'denied');
    const refused = await handOff(FIREFOX, server.url('/files/report.pdf'));
    assert.match(messageOf(refused), /refused/);
    assert.deepEqual(engine.getAppSettings().pairedExtensions, []);
  });

  it('stops a revoked extension at its next message', async () => {
    await call('browser.pair', { extension: CHROMIUM, label: 'Ferry for Chromium' });
    await call('browser.decide', { extension: CHROMIUM, allow: true });
    await call('browser.revoke', { extension: CHROMIUM });
    const refused = await handOff(CHROMIUM, server.url('/files/report.pdf'));
    assert.equal(codeOf(refused), 'RPC_NOT_PAIRED');
    assert.equal(await jobCount(), 0);
  });

  it('cannot be granted through settings.set, and an answer needs a waiting request', async () => {
    const viaSettings = await host.invoke('settings.set', {
      app: {
        pairedExtensions: [{ ...CHROMIUM, label: 'sneaky', pairedAt: new Date().toISOString() }],
      },
    });
    assert.equal(codeOf(viaSettings), 'INPUT_INVALID');
    const unasked = await host.invoke('browser.decide', { extension: CHROMIUM, allow: true });
    assert.equal(codeOf(unasked), 'INPUT_INVALID');
    assert.deepEqual(engine.getAppSettings().pairedExtensions, []);
  });
});

describe('browser hand-off', () => {
  const pair = async (ref: ExtensionRef) => {
    await call('browser.pair', { extension: ref, label: `Ferry for ${ref.browser}` });
    await call('browser.decide', { extension: ref, allow: true });
  };

  it("queues the download under the browser's name, with its Referer, Cookie and User-Agent", async () => {
    await pair(CHROMIUM);
    server.reset();
    const result = await handOff(CHROMIUM, server.url('/files/report.pdf'));
    assert.ok(result.ok, messageOf(result));
    const [made] = (result.value as { jobs: { jobId: string; localName: string }[] }).jobs;
    assert.equal(made?.localName, dir.file('downloads/Quarterly report.pdf'));
    const job = engine.getJob(made.jobId);
    assert.equal(job.info().displayName, 'Quarterly report.pdf');
    assert.match(job.info().description, /^From Ferry for chromium \(page http/);
    await waitFor(
      () => job.getState() === 'TRANSFERRED' || job.getState() === 'ACKNOWLEDGED',
      'the handed-off job to transfer',
    );
    const get = server.requests.find((r) => r.method === 'GET');
    assert.ok(get !== undefined, 'Ferry fetched the file');
    assert.equal(get.headers['referer'], `${server.origin}/page.html`);
    assert.equal(get.headers['cookie'], 'session=abc123; theme=dark');
    assert.equal(get.headers['user-agent'], 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0');
    assert.equal(job.info().transferPolicy.completeWhenTransferred, true);
    await waitFor(() => job.getState() === 'ACKNOWLEDGED', 'the job to complete itself');
    assert.equal(readFileSync(made.localName, 'utf8'), '%PDF-1.7 report');
  });

  it('makes the name unique and refuses the whole batch when one item is bad, leaving nothing', async () => {
    await pair(CHROMIUM);
    const before = await jobCount();
    const bad = await host.invoke('browser.handOff', {
      extension: CHROMIUM,
      items: [{ url: server.url('/files/report.pdf') }, { url: 'http://[zz]/x' }],
    });
    assert.equal(bad.ok, false);
    assert.match(messageOf(bad), /^Download 2 of 2: /);
    assert.equal(await jobCount(), before, 'the first item was undone, history included');

    const two = await host.invoke('browser.handOff', {
      extension: CHROMIUM,
      items: [
        { url: server.url('/files/report.pdf'), fileName: '../../etc/passwd' },
        { url: server.url('/files/report.pdf'), fileName: 'passwd' },
      ],
    });
    assert.ok(two.ok);
    assert.deepEqual(
      (two.value as { jobs: { localName: string }[] }).jobs.map((j) => j.localName),
      [dir.file('downloads/passwd'), dir.file('downloads/passwd (2)')],
    );
  });

  it('takes a file name longer than a job name may be', async () => {
    // A name at the 255-byte limit, made unique with " (2)", used to overflow the job's
    // 256-character display name and refuse the whole hand-off.
    await pair(CHROMIUM);
    const fileName = `${'a'.repeat(251)}.zip`;
    for (let i = 0; i < 2; i++) {
      const result = await host.invoke('browser.handOff', {
        extension: CHROMIUM,
        items: [{ url: server.url('/files/report.pdf'), fileName }],
      });
      assert.ok(result.ok, messageOf(result));
      const [made] = (result.value as { jobs: { jobId: string }[] }).jobs;
      assert.ok(engine.getJob(made?.jobId ?? '').info().displayName.length <= 256);
    }
  });

  it('sends links to the windows that listen, and lists recent jobs for the popup', async () => {
    await pair(FIREFOX);
    const window = createLocalClient(host);
    const links: EventPayloads['addRequested'][] = [];
    window.on('addRequested', (payload) => links.push(payload));
    const opened = await call('browser.openAdd', {
      extension: FIREFOX,
      urls: ['https://example.com/a.iso', 'https://example.com/b.iso'],
      referrer: 'https://example.com/',
    });
    assert.deepEqual(opened, { windows: 1 });
    assert.deepEqual(links[0]?.urls, ['https://example.com/a.iso', 'https://example.com/b.iso']);
    assert.equal(links[0].from, 'Ferry for firefox');
    window.disconnect();

    await handOff(FIREFOX, server.url('/files/report.pdf'));
    const recent = (await call('browser.recent', { extension: FIREFOX, limit: 5 })) as {
      name: string;
    }[];
    assert.match(recent[0]?.name ?? '', /^Quarterly report( \(\d\))?\.pdf$/);
    const unpaired = await host.invoke('browser.recent', { extension: CHROMIUM });
    assert.equal(codeOf(unpaired), 'RPC_NOT_PAIRED');
  });
});

describe('browser integration from the settings', () => {
  it('registers and removes the native host for every browser, and says where', async () => {
    // The host writes where the browsers look, under HOME: point it at a temporary one.
    const saved = { home: process.env['HOME'], xdg: process.env['XDG_CONFIG_HOME'] };
    process.env['HOME'] = dir.file('home');
    delete process.env['XDG_CONFIG_HOME'];
    try {
      const before = (await call('browser.integrationStatus', {})) as IntegrationState[];
      assert.deepEqual(
        before.map((s) => [s.browser, s.installed]),
        INTEGRATION_BROWSERS.map((b) => [b, false]),
      );
      const installed = (await call('browser.integrate', { install: true })) as IntegrationState[];
      assert.ok(installed.every((s) => s.installed && existsSync(s.manifestPath)));
      assert.ok(
        installed.every((s) => s.manifestPath.startsWith(dir.file('home'))),
        'nothing outside the home folder',
      );
      const removed = (await call('browser.integrate', { install: false })) as IntegrationState[];
      assert.ok(removed.every((s) => !s.installed && !existsSync(s.manifestPath)));
    } finally {
      if (saved.home === undefined) delete process.env['HOME'];
      else process.env['HOME'] = saved.home;
      if (saved.xdg !== undefined) process.env['XDG_CONFIG_HOME'] = saved.xdg;
    }
  });
});
