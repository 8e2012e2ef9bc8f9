// No open door for web pages: a page from another origin, in a real browser with Ferry's
// extension installed, can neither add a download nor learn anything about Ferry, whether it
// talks to Ferry's RPC port directly or tries the extension.
import { readToken } from '../../main/cli/server-record.js';
import { expect, test } from './fixtures.js';

test('a page from another origin cannot add a download or learn anything', async ({
  ext,
  ferry,
  site,
}) => {
  const page = await ext.context.newPage();
  await page.goto(`${site.origin}/page.html`);
  const rpc = `127.0.0.1:${ferry.port}`;
  // Even a page that somehow knew the token is refused: its Origin is not Ferry's.
  const token = readToken(ferry.dataDir);

  const outcome = await page.evaluate(
    async ({ rpc, token }) => {
      const results: Record<string, string> = {};
      // A WebSocket with the right protocol but no token, and one with a made-up token.
      const tryWebSocket = (protocols: string[]): Promise<string> =>
        new Promise((resolve) => {
          const socket = new WebSocket(`ws://${rpc}/rpc`, protocols);
          socket.onopen = () => {
            socket.send(
              JSON.stringify({
                type: 'invoke',
                id: 1,
                command: 'job.create',
                input: { displayName: 'from a page' },
              }),
            );
            resolve('open');
          };
          socket.onerror = () => {
            resolve('refused');
          };
        });
      results['wsNoToken'] = await tryWebSocket(['ferry.v1']);
      results['wsGuessedToken'] = await tryWebSocket(['ferry.v1', `ferry-token.${'0'.repeat(64)}`]);
      results['wsRealToken'] = await tryWebSocket(['ferry.v1', `ferry-token.${token}`]);
      // Plain HTTP: no CORS, so the page cannot read anything back.
      try {
        const response = await fetch(`http://${rpc}/`, { mode: 'cors' });
        results['fetchCors'] = `read ${String(response.status)}`;
      } catch {
        results['fetchCors'] = 'blocked';
      }
      // Not even an opaque answer: Cross-Origin-Resource-Policy makes it a network error.
      try {
        const opaque = await fetch(`http://${rpc}/rpc`, {
          method: 'POST',
          mode: 'no-cors',
          body: '{}',
        });
        results['fetchNoCors'] = opaque.type;
      } catch {
        results['fetchNoCors'] = 'blocked';
      }
      // The extension does not listen to pages (no externally_connectable).
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome
        ?.runtime;
      results['extensionReachable'] = String(typeof runtime?.sendMessage === 'function');
      return results;
    },
    { rpc, token },
  );

  expect(outcome).toEqual({
    wsNoToken: 'refused',
    wsGuessedToken: 'refused',
    wsRealToken: 'refused',
    fetchCors: 'blocked',
    fetchNoCors: 'blocked',
    extensionReachable: 'false',
  });
  expect(await ferry.jobs()).toEqual([]);
  const pairings = JSON.parse(await ferry.cli('browsers', '--json')) as {
    pending: unknown[];
    paired: unknown[];
  };
  expect(pairings).toEqual({ pending: [], paired: [] });
});
