import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startBrowserProcess } from './browser-process.js';

/**
 * Debian's Firefox ESR driven over WebDriver BiDi, the protocol stock Firefox speaks
 * (Playwright drives only its own patched Firefox, which cannot be installed offline).
 * Just what the extension test needs: install the add-on, open pages, run page scripts.
 */
export interface Firefox {
  /** Loads the unpacked add-on as a temporary one (no signature needed). */
  installExtension(path: string): Promise<string>;
  /** Opens `url` in the first tab and waits for the load. */
  open(url: string): Promise<void>;
  /** Evaluates `expression` in the first tab's page; returns its JSON-able value. */
  evaluate(expression: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Options of `launchFirefox`. */
export interface FirefoxOptions {
  readonly profile: string;
  /** HOME of the browser: where it looks for native messaging hosts (~/.mozilla/…). */
  readonly home: string;
  readonly downloadsPath: string;
}

interface BidiMessage {
  readonly id?: number;
  readonly type: string;
  readonly result?: Record<string, unknown>;
  readonly error?: string;
  readonly message?: string;
}

/** Starts Firefox ESR headless on a fresh profile and opens a BiDi session. */
export async function launchFirefox(options: FirefoxOptions): Promise<Firefox> {
  await mkdir(options.profile, { recursive: true });
  const prefs: Record<string, string | number | boolean> = {
    'browser.download.dir': options.downloadsPath,
    'browser.download.folderList': 2,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    // Grant the add-on's host permissions at install, as the install prompt would.
    'extensions.originControls.grantByDefault': true,
  };
  await writeFile(
    join(options.profile, 'user.js'),
    Object.entries(prefs)
      .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
      .join('\n'),
  );
  const browser = await startBrowserProcess(
    process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr',
    ['--headless', '--no-remote', '--remote-debugging-port', '0', '--profile', options.profile],
    /WebDriver BiDi listening on (ws:\/\/\S+)/,
    { ...process.env, HOME: options.home },
  );
  const endpoint = browser.endpoint;

  const socket = new WebSocket(`${endpoint}/session`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('error', reject);
  });
  let nextId = 0;
  const waiting = new Map<number, (message: BidiMessage) => void>();
  socket.on('message', (data: WebSocket.RawData) => {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    const message = JSON.parse(text) as BidiMessage;
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const send = (method: string, params: object): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, (message) => {
        if (message.type === 'success' && message.result !== undefined) resolve(message.result);
        else reject(new Error(`${method}: ${message.error ?? '?'} ${message.message ?? ''}`));
      });
      socket.send(JSON.stringify({ id, method, params }));
    });

  await send('session.new', { capabilities: {} });
  const tree = (await send('browsingContext.getTree', {})) as {
    contexts: { context: string }[];
  };
  const context = tree.contexts[0]?.context;
  if (context === undefined) throw new Error('Firefox has no tab');

  return {
    async installExtension(path) {
      const result = (await send('webExtension.install', {
        extensionData: { type: 'path', path },
      })) as { extension: string };
      return result.extension;
    },
    async open(url) {
      await send('browsingContext.navigate', { context, url, wait: 'complete' });
    },
    async evaluate(expression) {
      const result = (await send('script.evaluate', {
        expression,
        target: { context },
        awaitPromise: true,
        serializationOptions: { maxObjectDepth: 4 },
      })) as { type: string; result?: { value?: unknown }; exceptionDetails?: { text: string } };
      if (result.type === 'exception') {
        throw new Error(`page script failed: ${result.exceptionDetails?.text ?? '?'}`);
      }
      return result.result?.value;
    },
    async stop() {
      socket.close();
      await browser.stop();
    },
  };
}
