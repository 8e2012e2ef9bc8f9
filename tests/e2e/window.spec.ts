import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobDetails } from '../../app/contract.js';
import { sha256OfTestFile } from '../support/http-server.js';
import type { TestFile } from '../support/http-server.js';
import { addThroughDialog, expect, listDir, row, sha256File, test } from './fixtures.js';

const A: TestFile = { body: { size: 300_000, seed: 1 } };
const B: TestFile = { body: { size: 500_000, seed: 2 } };
const C: TestFile = { body: { size: 200_000, seed: 3 } };
/** Slow enough to act on mid-transfer: 4 MB at 150 kB/s over one connection. */
const SLOW: TestFile = { body: { size: 4_000_000, seed: 4 }, throttleBytesPerSec: 150_000 };

// Regression: a download shown with a green ✓ and 100 % was still a hidden .ferry-part until
// the user pressed an unexplained "Complete", and pasting three URLs made one download.
test('finished downloads appear at their final names without a click, one download per URL', async ({
  page,
  ferry,
  files,
}) => {
  files.setFile('/a.bin', A);
  files.setFile('/b.bin', B);
  files.setFile('/c.bin', C);
  files.setFile('/d.bin', A);
  await page.goto(ferry.url);

  // The preview names each line and flags the bad one before anything is added.
  await page.locator('.top [data-action="add"]').click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await dialog
    .getByLabel('URLs, one per line')
    .fill([files.url('/a.bin'), 'not a url', files.url('/b.bin')].join('\n'));
  await dialog.getByLabel('Save to folder').fill(ferry.downloads);
  await expect(dialog.locator('.preview li[data-ok="true"]')).toHaveText([
    /a\.bin\s*300 kB/,
    /b\.bin\s*500 kB/,
  ]);
  await expect(dialog.locator('.preview li[data-ok="false"]')).toContainText('not a url');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog.locator('.refused')).toContainText('not a url');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // One download each, completed by the host as soon as it transferred.
  for (const name of ['a.bin', 'b.bin']) {
    await expect(row(page, name)).toHaveAttribute('data-state', 'ACKNOWLEDGED');
    await expect(row(page, name).locator('.state-label')).toHaveText('Done');
  }
  expect(await listDir(ferry.downloads)).toEqual(['a.bin', 'b.bin']);
  expect(await sha256File(join(ferry.downloads, 'a.bin'))).toBe(sha256OfTestFile(A));
  expect(await sha256File(join(ferry.downloads, 'b.bin'))).toBe(sha256OfTestFile(B));
  await expect(page.locator('.notices')).toContainText('2 downloads done.');

  // Grouping stays available as an option.
  await page.locator('.top [data-action="add"]').click();
  await dialog
    .getByLabel('URLs, one per line')
    .fill([files.url('/c.bin'), files.url('/d.bin')].join('\n'));
  await dialog.getByLabel('Put all links in one download').check();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(row(page, 'c.bin and 1 more')).toHaveAttribute('data-state', 'ACKNOWLEDGED');
  await expect(row(page, 'c.bin and 1 more')).toContainText('2 / 2 files');
  await expect(page.getByRole('option')).toHaveCount(3);

  // The last folder is offered next time.
  await page.locator('.top [data-action="add"]').click();
  await expect(dialog.getByLabel('Save to folder')).toHaveValue(ferry.downloads);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Column headers sort: by name, then back to the order added on the third click.
  const names = () => page.locator('.job-name').allTextContents();
  const name = page.locator('.job-header [data-column="name"] button');
  await name.click();
  await name.click();
  expect(await names()).toEqual(['c.bin and 1 more', 'b.bin', 'a.bin']);
  await name.click();
  expect(await names()).toEqual(['a.bin', 'b.bin', 'c.bin and 1 more']);

  // Dragging a header's edge resizes its column, header and rows alike.
  const sizeHeader = page.locator('.job-header [data-column="size"]');
  const sizeCell = row(page, 'a.bin').locator('.cell.size');
  const before = (await sizeHeader.boundingBox())?.width ?? 0;
  const edge = await sizeHeader.locator('.col-resize').boundingBox();
  expect(edge).not.toBeNull();
  if (edge !== null) {
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 60, edge.y + edge.height / 2, { steps: 4 });
    await page.mouse.up();
  }
  await expect
    .poll(async () => (await sizeHeader.boundingBox())?.width ?? 0)
    .toBeGreaterThan(before + 40);
  expect(Math.round((await sizeCell.boundingBox())?.width ?? 0)).toBe(
    Math.round((await sizeHeader.boundingBox())?.width ?? -1),
  );

  // Done downloads stay in All until "Clear finished"; History keeps them.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(page.getByRole('option')).toHaveCount(0);
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('option')).toHaveCount(3);
});

test('Pause and Resume keep an honest bar; Cancel and Remove from list ask first', async ({
  page,
  ferry,
  files,
}) => {
  files.setFile('/slow.bin', SLOW);
  files.setFile('/a.bin', A);
  await page.goto(ferry.url);
  await addThroughDialog(page, [files.url('/slow.bin')], ferry.downloads, { connections: 1 });
  const job = row(page, 'slow.bin');
  await expect(job).toHaveAttribute('data-state', 'TRANSFERRING');
  await expect(job.locator('.state-label')).toHaveText('Downloading');
  await job.click();
  const bar = job.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(
    page.getByRole('complementary', { name: 'Details' }).locator('.speed-chart svg'),
  ).toBeVisible();
  // The title shows overall progress while a download runs.
  await expect(page).toHaveTitle(/^\d+\s?% · Ferry$/);

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(job).toHaveAttribute('data-state', 'SUSPENDED');
  await expect(job.locator('.state-label')).toHaveText('Paused');
  await expect(page).toHaveTitle('Ferry');
  // A stopped row is a still bar at its real fraction, never an animated one.
  await expect(job.locator('.progress')).not.toHaveClass(/indeterminate/);
  const held = await bar.getAttribute('aria-valuenow');
  expect(Number(held)).toBeLessThan(100);
  // The BITS state name is still there, under Advanced.
  await page.locator('.advanced summary').click();
  await expect(page.locator('[data-field="bits-state"]')).toHaveText('SUSPENDED');

  // Resume by keyboard from the focused list.
  await page.getByRole('listbox', { name: 'Downloads' }).focus();
  await page.keyboard.press('r');
  await expect(job).toHaveAttribute('data-state', /QUEUED|CONNECTING|TRANSFERRING/);
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')))
    .toBeGreaterThan(Number(held));

  // Cancel from the context menu asks, then deletes the partial file.
  await job.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Cancel' }).click();
  const confirm = page.getByRole('dialog', { name: 'Cancel this download?' });
  await confirm.getByRole('button', { name: 'Cancel download' }).click();
  await page.getByRole('button', { name: 'History' }).click();
  await expect(row(page, 'slow.bin')).toHaveAttribute('data-state', 'CANCELLED');
  expect(await listDir(ferry.downloads)).toEqual([]);

  // Remove from list (Delete key) asks whether to delete the file too.
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await addThroughDialog(page, [files.url('/a.bin')], ferry.downloads);
  await expect(row(page, 'a.bin')).toHaveAttribute('data-state', 'ACKNOWLEDGED');
  await row(page, 'a.bin').click();
  await page.keyboard.press('Delete');
  const remove = page.getByRole('dialog', { name: 'Remove this download from the list?' });
  await remove.getByLabel('Also delete the downloaded file').check();
  await remove.getByRole('button', { name: 'Remove' }).click();
  await expect(row(page, 'a.bin')).toHaveCount(0);
  await page.getByRole('button', { name: 'History' }).click();
  await expect(row(page, 'a.bin')).toHaveCount(0);
  await expect.poll(() => existsSync(join(ferry.downloads, 'a.bin'))).toBe(false);
});

test('a 404 shows Failed with its fix; a new URL recovers it; a 503 counts down to its retry', async ({
  page,
  ferry,
  files,
}) => {
  files.setFile('/good.bin', A);
  files.setFile('/busy.bin', { body: { size: 1000, seed: 9 }, status: 503 });
  await page.goto(ferry.url);
  await addThroughDialog(page, [files.url('/gone.bin'), files.url('/busy.bin')], ferry.downloads);
  const job = row(page, 'gone.bin');
  await expect(job).toHaveAttribute('data-state', 'ERROR');
  await expect(job.locator('.state-label')).toHaveText('Failed');
  await expect(job.locator('.job-error')).not.toBeEmpty();
  // A failed download of unknown size shows no bar at all rather than a busy one.
  await expect(job.getByRole('progressbar')).toHaveCount(0);

  // The retrying one counts down (600 s by default) and the clock moves.
  const busy = row(page, 'busy.bin');
  await expect(busy).toHaveAttribute('data-state', 'TRANSIENT_ERROR');
  const label = busy.locator('.state-label');
  await expect(label).toHaveText(/^Retrying in (10:00|9:\d\d)$/);
  const first = await label.textContent();
  await expect(label).not.toHaveText(first ?? '');

  // The details pane opens each download at its top, wherever the last one was scrolled.
  await busy.click();
  const scrolled = await page.locator('#details').evaluate((e) => {
    const pane = e as unknown as { scrollTop: number };
    pane.scrollTop = 400;
    return pane.scrollTop;
  });
  expect(scrolled).toBeGreaterThan(0);
  await job.click();
  await expect
    .poll(() =>
      page.locator('#details').evaluate((e) => (e as unknown as { scrollTop: number }).scrollTop),
    )
    .toBe(0);
  const error = page.getByRole('region', { name: 'Error' });
  await expect(error.locator('[data-field="fix"]')).toContainText('Paste a fresh link');
  await expect(error.locator('[data-field="context"]')).toHaveText('Remote file');
  await expect(error.locator('[data-field="code"]')).toContainText('HTTP_NOT_FOUND');
  await page.screenshot({ path: 'test-results/screens/details-error.png' });

  await error.getByLabel('Replace URL').fill(files.url('/good.bin'));
  await error.getByRole('button', { name: 'Replace URL and retry' }).click();
  await expect(job).toHaveAttribute('data-state', 'ACKNOWLEDGED');
  expect(await sha256File(join(ferry.downloads, 'gone.bin'))).toBe(sha256OfTestFile(A));
});

test('Open file downloads the saved file through a link; Show in folder says where it is', async ({
  page,
  ferry,
  files,
}) => {
  files.setFile('/report.pdf', B);
  await page.goto(ferry.url);
  await addThroughDialog(page, [files.url('/report.pdf')], ferry.downloads);
  const job = row(page, 'report.pdf');
  await expect(job).toHaveAttribute('data-state', 'ACKNOWLEDGED');

  await job.click({ button: 'right' });
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Open file' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('report.pdf');
  const path = await saved.path();
  expect((await readFile(path)).length).toBe(500_000);
  expect(await sha256File(path)).toBe(sha256OfTestFile(B));

  await job.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Show in folder' }).click();
  await expect(page.locator('.notices')).toContainText(ferry.downloads);

  // An expired or made-up link answers 404 and names nothing.
  const response = await page.request.get(`${new URL(ferry.url).origin}/files/00ff/report.pdf`);
  expect(response.status()).toBe(404);
});

// Regression: Select all (2,000) + Resume resumed only 220–490 jobs per click, left the rest
// suspended and showed five generic "More than 256 commands in flight" messages for minutes.
test('bulk resume of 2,000 downloads resumes every one in one click', async ({
  page,
  ferry,
  files,
  rpc,
}) => {
  test.setTimeout(180_000);
  const COUNT = 2_000;
  files.setFile('/many.bin', { body: { size: 1_000_000, seed: 5 }, throttleBytesPerSec: 20_000 });
  await rpc.invoke('settings.set', { engine: { maxConcurrentJobs: 2 } });
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i += 100) {
    const made = await Promise.all(
      Array.from({ length: 100 }, async (_, k) => {
        const n = i + k;
        const job = await rpc.invoke('job.create', { displayName: `bulk-${String(n)}` });
        await rpc.invoke('job.addFile', {
          jobId: job.id,
          remoteUrl: files.url(`/many.bin?n=${String(n)}`),
          localName: join(ferry.downloads, `bulk-${String(n)}.bin`),
        });
        return job.id;
      }),
    );
    ids.push(...made);
  }
  await page.goto(ferry.url);
  await expect(page.locator('.status-bar')).toBeVisible();
  await page.getByRole('listbox', { name: 'Downloads' }).focus();
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Control+a');
  await expect(page.locator('.status-bar .selection')).toHaveText('2,000 selected');

  const started = Date.now();
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const suspended = async () =>
    (await rpc.invoke('jobs.enum', {})).filter((j: JobDetails) => j.state === 'SUSPENDED').length;
  await expect.poll(suspended, { timeout: 60_000 }).toBe(0);
  const took = Date.now() - started;
  await expect(page.locator('.notices')).toContainText('Resumed 2,000 downloads.');
  await expect(page.locator('.notice.error')).toHaveCount(0);
  test.info().annotations.push({
    type: 'bulk resume',
    description: `${String(COUNT)} jobs in ${String(took)} ms`,
  });
  console.log(
    `bulk resume: ${String(COUNT)} of ${String(COUNT)} resumed in one click, ${String(took)} ms`,
  );

  // Pause all stops every one of them again, also in one command.
  await page.getByRole('button', { name: 'Pause all' }).click();
  await expect.poll(suspended, { timeout: 60_000 }).toBe(COUNT);
  expect(ids).toHaveLength(COUNT);
});

test('French and dark mode, settings in people’s units, the speed limit toggle', async ({
  page,
  ferry,
  files,
  rpc,
}) => {
  files.setFile('/a.bin', A);
  await page.goto(ferry.url);
  await addThroughDialog(page, [files.url('/a.bin')], ferry.downloads, { suspended: true });
  await expect(row(page, 'a.bin')).toHaveAttribute('data-state', 'SUSPENDED');

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('Language').selectOption('fr');
  await settings.getByLabel('Theme').selectOption('dark');
  // Durations in days and minutes, not 1209600 s.
  await settings.getByRole('tab', { name: 'Advanced' }).click();
  const noProgress = settings.getByLabel('Stop retrying after no progress for', { exact: true });
  await expect(noProgress).toHaveValue('14');
  await expect(settings.getByLabel('Unit of Stop retrying after no progress for')).toHaveValue(
    'days',
  );
  await noProgress.fill('2');
  await expect(
    settings.getByLabel('Wait before retrying a failed download', { exact: true }),
  ).toHaveValue('10');
  // The speed section says which limit holds what, and sets the background limit apart.
  await settings.getByRole('tab', { name: 'Speed' }).click();
  await expect(settings.locator('[data-help="speed-limit"]')).toContainText('Foreground');
  await expect(settings.locator('[data-help="background-speed-limit"]')).toContainText(
    'Foreground downloads ignore it',
  );
  await settings.getByLabel('Unit of Background limit (0 = none)').selectOption('kBps');
  await settings.getByLabel('Background limit (0 = none)', { exact: true }).fill('200');
  // A scheduled limit.
  await settings.getByRole('button', { name: 'Add a rule' }).click();
  await settings.getByRole('button', { name: 'Save' }).click();
  const saved = await rpc.invoke('settings.get', {});
  expect(saved.engine.defaultNoProgressTimeout).toBe(2 * 86_400);
  expect(saved.engine.backgroundSpeedLimit).toBe(200_000);
  expect(saved.engine.speedLimit).toBe(0);
  expect(saved.engine.speedSchedule).toEqual([
    { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', speedLimit: 500_000 },
  ]);

  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(row(page, 'a.bin').locator('.state-label')).toHaveText('En pause');
  await row(page, 'a.bin').click();
  await page.getByRole('button', { name: 'Reprendre', exact: true }).click();
  await expect(row(page, 'a.bin').locator('.state-label')).toHaveText('Terminé');
  const background = await page.evaluate(() => {
    const g = globalThis as unknown as {
      getComputedStyle(e: unknown): { backgroundColor: string };
      document: { body: unknown };
    };
    return g.getComputedStyle(g.document.body).backgroundColor;
  });
  expect(background).toBe('rgb(22, 24, 28)');

  // The status bar's toggle switches the preset limit (1 MB/s) on and off.
  const toggle = page.locator('.limit-toggle');
  await expect(toggle).toHaveText('Sans limite');
  await toggle.click();
  await expect(toggle).toHaveText(/Limite 1\s?Mo\/s/);
  expect((await rpc.invoke('settings.get', {})).engine.speedLimit).toBe(1_000_000);
  await toggle.click();
  await expect(toggle).toHaveText('Sans limite');

  // The access token is not left in the address bar; a reload keeps the choices.
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await expect(row(page, 'a.bin').locator('.state-label')).toHaveText('Terminé');
});
