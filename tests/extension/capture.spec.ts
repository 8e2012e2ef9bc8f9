// Ferry's extension in a real Chromium, talking to a real `ferry serve` through the real
// native host (registered in the test's own profile): downloads the user starts end as Ferry
// jobs only once the user has paired the extension, with the browser's name, Referer, Cookie
// and User-Agent, and without a browser copy; the bypass key, the context menu, the popup and
// revocation behave as the user expects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { JobDetails } from '../../app/index.js';
import type { ExtensionBrowser, Ferry } from './fixtures.js';
import { eventually, expect, test } from './fixtures.js';
import { ARCHIVE_BYTES, ARCHIVE_NAME } from './site.js';
import type { Site } from './site.js';

const CAPTURE = { shareCookies: true };

async function openSitePage(browser: ExtensionBrowser, site: Site): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/page.html`);
  return page;
}

/**
 * Clicks a link and waits until the browser has finished its own download of it; returns the
 * path the browser saved it to.
 */
async function clickAndKeep(
  browser: ExtensionBrowser,
  page: Page,
  selector: string,
  modifiers: 'Alt'[] = [],
): Promise<string> {
  const before = new Set((await browser.downloads()).map((d) => d.id));
  await page.bringToFront();
  await page.click(selector, { modifiers });
  const kept = await eventually('the browser to finish its download', async () =>
    (await browser.downloads()).find((d) => !before.has(d.id) && d.state === 'complete'),
  );
  return kept.filename;
}

/** Opens the popup (which greets Ferry), approves the pairing with the CLI, as the window would. */
async function pair(browser: ExtensionBrowser, ferry: Ferry): Promise<void> {
  const popup = await browser.openPopup();
  await expect(popup.locator('#status')).toHaveText("Waiting for your approval in Ferry's window");
  await ferry.cli('browsers', 'allow', 'chromium', browser.extensionId);
  await expect(popup.locator('#status')).toHaveText('Connected to Ferry');
  await popup.close();
}

function jobNamed(jobs: readonly JobDetails[], name: string): JobDetails | undefined {
  return jobs.find((job) => job.displayName === name);
}

test('an unpaired extension is refused until approved; then a click becomes a Ferry job, not a browser download', async ({
  ext: browser,
  ferry,
  site,
}) => {
  await browser.setCaptureSettings(CAPTURE);
  const page = await openSitePage(browser, site);

  // Unpaired: the browser keeps the download, and Ferry's window is asked once.
  await clickAndKeep(browser, page, '#archive');
  expect(await ferry.jobs()).toEqual([]);
  const waiting = JSON.parse(await ferry.cli('browsers', '--json')) as {
    pending: { browser: string; extensionId: string; label: string }[];
  };
  expect(waiting.pending).toEqual([
    expect.objectContaining({
      browser: 'chromium',
      extensionId: browser.extensionId,
      label: 'Ferry 0.1.0',
    }),
  ]);

  await ferry.cli('browsers', 'allow', 'chromium', browser.extensionId);
  await expect
    .poll(
      async () =>
        await browser.openPopup().then(async (p) => {
          const text = await p.locator('#status').textContent();
          await p.close();
          return text;
        }),
    )
    .toBe('Connected to Ferry');

  const browserDownloadsBefore = (await browser.downloads()).length;
  site.reset();
  await page.click('#archive');
  const job = await eventually('the job Ferry makes of the click', async () =>
    jobNamed(await ferry.jobs(), ARCHIVE_NAME),
  );
  expect(job.files[0]?.localName).toBe(join(ferry.downloads, ARCHIVE_NAME));
  expect(job.description).toMatch(
    /^From Ferry 0\.1\.0 \(page http:\/\/127\.0\.0\.1:\d+\/page\.html\)$/,
  );

  // Ferry fetched it as the browser would have: same Referer, Cookie and User-Agent.
  const pageRequest = await page.evaluate<string>('navigator.userAgent');
  const fromFerry = await eventually('Ferry to fetch the file', () =>
    Promise.resolve(
      site
        .requestsFor('/download')
        .find(
          (r) =>
            r.method === 'GET' &&
            r.headers['cookie'] !== undefined &&
            !('sec-fetch-mode' in r.headers),
        ),
    ),
  );
  expect(fromFerry.headers['referer']).toBe(`${site.origin}/page.html`);
  expect(fromFerry.headers['cookie']).toBe('session=s3cret-42');
  expect(fromFerry.headers['user-agent']).toBe(pageRequest);

  // The browser's own copy was cancelled and erased.
  await expect.poll(async () => (await browser.downloads()).length).toBe(browserDownloadsBefore);
  expect((await browser.downloads()).every((d) => d.state === 'complete')).toBe(true);

  // Like a browser download, it completes by itself: the file appears under its name.
  await eventually('the job to complete', async () => {
    const now = jobNamed(await ferry.jobs(), ARCHIVE_NAME);
    return now?.state === 'ACKNOWLEDGED' ? now : undefined;
  });
  expect(readFileSync(join(ferry.downloads, ARCHIVE_NAME))).toEqual(ARCHIVE_BYTES);
});

test('holding Alt while clicking lets the browser keep the download', async ({
  ext: browser,
  ferry,
  site,
}) => {
  await browser.setCaptureSettings(CAPTURE);
  await pair(browser, ferry);
  const page = await openSitePage(browser, site);
  const kept = await clickAndKeep(browser, page, '#notes', ['Alt']);
  expect(readFileSync(kept)).toEqual(ARCHIVE_BYTES);
  expect(await ferry.jobs()).toEqual([]);

  // The same click without Alt goes to Ferry; a small text file stays with the browser.
  await page.click('#notes');
  await eventually('the job for notes.iso', async () => jobNamed(await ferry.jobs(), 'notes.iso'));
  await clickAndKeep(browser, page, '#small');
  expect((await ferry.jobs()).map((j) => j.displayName)).toEqual(['notes.iso']);
});

test('the context menu adds a link, and "all links" opens the Add dialog with the selection', async ({
  ext: browser,
  ferry,
  site,
}) => {
  await pair(browser, ferry);
  const page = await openSitePage(browser, site);
  const added: string[][] = [];
  ferry.client.on('addRequested', (payload) => added.push([...payload.urls]));

  await browser.clickMenu('ferry-link', `${site.origin}/page.html`, {
    linkUrl: `${site.origin}/files/notes.iso`,
  });
  const job = await eventually('the job for the link', async () =>
    jobNamed(await ferry.jobs(), 'notes.iso'),
  );
  expect(job.files[0]?.remoteName).toBe(`${site.origin}/files/notes.iso`);

  await page.evaluate(
    "document.getSelection().selectAllChildren(document.getElementById('intro'))",
  );
  await browser.clickMenu('ferry-selection', `${site.origin}/page.html`);
  await expect.poll(() => added.length).toBe(1);
  expect(added[0]).toEqual([
    `${site.origin}/download?id=42`,
    `${site.origin}/files/notes.iso`,
    `${site.origin}/files/readme.txt`,
  ]);
});

test('revoking the pairing stops the extension at its next download', async ({
  ext: browser,
  ferry,
  site,
}) => {
  await pair(browser, ferry);
  const page = await openSitePage(browser, site);
  await page.click('#notes');
  await eventually('the first job', async () => jobNamed(await ferry.jobs(), 'notes.iso'));

  await ferry.cli('browsers', 'revoke', 'chromium', browser.extensionId);
  await clickAndKeep(browser, page, '#notes');
  expect((await ferry.jobs()).length).toBe(1);
  const popup = await browser.openPopup();
  await expect(popup.locator('#status')).toHaveText('Ferry refused this extension');
});

test('the popup lists the latest downloads and its switch turns capture off', async ({
  ext: browser,
  ferry,
  site,
}) => {
  await pair(browser, ferry);
  const page = await openSitePage(browser, site);
  await page.click('#notes');
  const popup = await browser.openPopup();
  await expect(popup.locator('#recent li .name')).toHaveText(['notes.iso']);
  await expect(popup.locator('#recent li progress')).toHaveCount(1);

  await popup.locator('#capture').uncheck();
  await clickAndKeep(browser, page, '#notes');
  expect((await ferry.jobs()).length).toBe(1);
});

test("the options page's rules apply: an excluded site keeps its downloads", async ({
  ext: browser,
  ferry,
  site,
}) => {
  await pair(browser, ferry);
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await expect(options.locator('#min-size')).toHaveValue('2');
  await options.locator('#excluded-sites').fill('127.0.0.1\n');
  await options.locator('#file-types').fill('zip');
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.locator('#saved')).toHaveText('Saved.');

  const page = await openSitePage(browser, site);
  await clickAndKeep(browser, page, '#archive');
  expect(await ferry.jobs()).toEqual([]);

  await options.bringToFront();
  await options.locator('#excluded-sites').fill('');
  await options.getByRole('button', { name: 'Save' }).click();
  // .iso is no longer a chosen type and the file is under 2 MB: the browser keeps it...
  await clickAndKeep(browser, page, '#notes');
  // ...while the .zip goes to Ferry.
  await page.click('#archive');
  await eventually('the archive in Ferry', async () => jobNamed(await ferry.jobs(), ARCHIVE_NAME));
  expect((await ferry.jobs()).map((j) => j.displayName)).toEqual([ARCHIVE_NAME]);
});
