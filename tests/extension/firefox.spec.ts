// Ferry's extension in a real Firefox (Debian's Firefox ESR over WebDriver BiDi), talking to a
// real `ferry serve` through the real native host registered in the test's own home folder:
// the Firefox build pairs, hands a download over with the page as Referer and the browser's
// User-Agent, and leaves no browser copy, as the Chromium build does.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/child-process.js';
import { eventually, expect, test } from './fixtures.js';
import { launchFirefox } from './firefox-bidi.js';
import { ARCHIVE_BYTES, ARCHIVE_NAME } from './site.js';

const ADDON_ID = 'ferry-extension@ferry.app';

test('Firefox: pairing, then a download handed over as the browser would fetch it, with no browser copy', async ({
  root,
  ferry,
  site,
}) => {
  const home = join(root, 'home');
  const downloadsPath = join(root, 'firefox-downloads');
  // Firefox reads per-user native hosts from ~/.mozilla/native-messaging-hosts.
  await ferry.cli(
    'integrate',
    '--install',
    '--browser',
    'firefox',
    '--manifest-dir',
    join(home, '.mozilla', 'native-messaging-hosts'),
  );
  const firefox = await launchFirefox({
    profile: join(root, 'firefox-profile'),
    home,
    downloadsPath,
  });
  try {
    expect(await firefox.installExtension(join(REPO_ROOT, 'dist', 'extension', 'firefox'))).toBe(
      ADDON_ID,
    );

    // Unpaired: Firefox keeps the download and Ferry's window is asked.
    await firefox.open(`${site.origin}/page.html`);
    await firefox.evaluate("document.getElementById('notes').click()");
    await eventually('Firefox to save notes.iso itself', () =>
      Promise.resolve(
        existsSync(join(downloadsPath, 'notes.iso')) &&
          statSync(join(downloadsPath, 'notes.iso')).size === ARCHIVE_BYTES.length
          ? true
          : undefined,
      ),
    );
    const waiting = await eventually("the pairing request in Ferry's window", async () => {
      const view = JSON.parse(await ferry.cli('browsers', '--json')) as {
        pending: { browser: string; extensionId: string }[];
      };
      return view.pending.length > 0 ? view.pending : undefined;
    });
    expect(waiting).toEqual([
      expect.objectContaining({ browser: 'firefox', extensionId: ADDON_ID }),
    ]);
    expect(await ferry.jobs()).toEqual([]);

    await ferry.cli('browsers', 'allow', 'firefox', ADDON_ID);
    site.reset();
    await firefox.evaluate("document.getElementById('archive').click()");
    const job = await eventually('Ferry to finish the handed-over download', async () =>
      (await ferry.jobs()).find(
        (j) => j.displayName === ARCHIVE_NAME && j.state === 'ACKNOWLEDGED',
      ),
    );
    expect(job.files[0]?.localName).toBe(join(ferry.downloads, ARCHIVE_NAME));
    const userAgent = await firefox.evaluate('navigator.userAgent');
    const fromFerry = site
      .requestsFor('/download')
      .filter(
        (r) => r.headers['user-agent'] === userAgent && r.headers['sec-fetch-mode'] === undefined,
      );
    expect(fromFerry.length).toBeGreaterThan(0);
    // Cookies go to Ferry only once the user allows it in the options (off by default).
    expect(fromFerry[0]?.headers['cookie']).toBeUndefined();
    expect(fromFerry[0]?.headers['referer']).toBe(`${site.origin}/page.html`);
    expect(readdirSync(downloadsPath).sort()).toEqual(['notes.iso']);
  } finally {
    await firefox.stop();
  }
});
