import { join } from 'node:path';
import { sha256OfTestFile } from '../support/http-server.js';
import type { TestFile } from '../support/http-server.js';
import { addThroughDialog, expect, listDir, row, sha256File, test } from './fixtures.js';

/** The page-side globals the simulated drop needs (tests compile without DOM types). */
interface DropGlobals {
  readonly DataTransfer: new () => { setData(type: string, data: string): void };
  readonly DragEvent: new (
    type: string,
    init: { bubbles: boolean; cancelable: boolean; dataTransfer: unknown },
  ) => unknown;
  readonly document: { readonly body: { dispatchEvent(event: unknown): boolean } };
}

const A: TestFile = { body: { size: 300_000, seed: 1 } };
const B: TestFile = { body: { size: 500_000, seed: 2 } };
const C: TestFile = { body: { size: 200_000, seed: 3 } };
/** Slow enough to act on mid-transfer: 4 MB at 150 kB/s over one connection. */
const SLOW: TestFile = { body: { size: 4_000_000, seed: 4 }, throttleBytesPerSec: 150_000 };

test('URLs added through the dialog and a drop transfer, complete, and land on disk', async ({
  page,
  ferry,
  files,
}) => {
  files.setFile('/a.bin', A);
  files.setFile('/b.bin', B);
  files.setFile('/c.bin', C);
  await page.goto(ferry.url);

  // Two good lines and a bad one: the bad one is listed with its reason, the others go in.
  await addThroughDialog(
    page,
    [files.url('/a.bin'), 'not a url', files.url('/b.bin')],
    ferry.downloads,
  );
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await expect(dialog.locator('.refused')).toContainText('not a url');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const job = row(page, 'a.bin and 1 more');
  await expect(job).toHaveAttribute('data-state', 'TRANSFERRED');
  await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(job).toContainText('2 / 2 files');

  // A drop of a text/uri-list opens the dialog pre-filled (dropAction "dialog").
  await page.evaluate(
    (list) => {
      const g = globalThis as unknown as DropGlobals;
      const data = new g.DataTransfer();
      data.setData('text/uri-list', list);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        g.document.body.dispatchEvent(
          new g.DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
        );
      }
    },
    `# dropped\r\n${files.url('/c.bin')}\r\n`,
  );
  await expect(dialog.getByLabel('URLs, one per line')).toHaveValue(files.url('/c.bin'));
  await dialog.getByLabel('Save to folder').fill(ferry.downloads);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog).toBeHidden();
  const dropped = row(page, 'c.bin');
  await expect(dropped).toHaveAttribute('data-state', 'TRANSFERRED');
  await page.screenshot({ path: 'test-results/screens/list-transferred.png' });

  // Complete both (everything transferred: no confirmation) and check the bytes on disk.
  await job.click();
  await dropped.click({ modifiers: ['Control'] });
  await page.getByRole('button', { name: 'Complete' }).click();
  await page.getByRole('button', { name: 'History' }).click();
  await expect(row(page, 'a.bin and 1 more')).toHaveAttribute('data-state', 'ACKNOWLEDGED');
  await expect(row(page, 'c.bin')).toHaveAttribute('data-state', 'ACKNOWLEDGED');
  expect(await listDir(ferry.downloads)).toEqual(['a.bin', 'b.bin', 'c.bin']);
  expect(await sha256File(join(ferry.downloads, 'a.bin'))).toBe(sha256OfTestFile(A));
  expect(await sha256File(join(ferry.downloads, 'b.bin'))).toBe(sha256OfTestFile(B));
  expect(await sha256File(join(ferry.downloads, 'c.bin'))).toBe(sha256OfTestFile(C));
});

test('Suspend and Resume mid-transfer; Cancel asks, then leaves no temporary file', async ({
  page,
  ferry,
  files,
}) => {
  files.setFile('/slow.bin', SLOW);
  await page.goto(ferry.url);
  await addThroughDialog(page, [files.url('/slow.bin')], ferry.downloads, { connections: 1 });
  const job = row(page, 'slow.bin');
  await expect(job).toHaveAttribute('data-state', 'TRANSFERRING');
  await job.click();
  const bar = job.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(
    page.getByRole('complementary', { name: 'Details' }).locator('.speed-chart svg'),
  ).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/details-transferring.png' });

  // The toolbar follows the transition table: Suspend allowed while transferring.
  await page.getByRole('button', { name: 'Suspend' }).click();
  await expect(job).toHaveAttribute('data-state', 'SUSPENDED');
  const held = await bar.getAttribute('aria-valuenow');
  await page.waitForTimeout(1_000);
  expect(await bar.getAttribute('aria-valuenow')).toBe(held);
  expect(Number(held)).toBeLessThan(100);

  // Resume by keyboard shortcut from the focused list.
  await page.getByRole('listbox', { name: 'Downloads' }).focus();
  await page.keyboard.press('r');
  await expect(job).toHaveAttribute('data-state', /QUEUED|CONNECTING|TRANSFERRING/);
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')))
    .toBeGreaterThan(Number(held));

  // Cancel from the context menu: a confirmation first, then CANCELLED and no .ferry-part.
  await job.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Cancel' }).click();
  const confirm = page.getByRole('dialog', { name: 'Cancel downloads?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel downloads' }).click();
  await page.getByRole('button', { name: 'History' }).click();
  await expect(row(page, 'slow.bin')).toHaveAttribute('data-state', 'CANCELLED');
  expect(await listDir(ferry.downloads)).toEqual([]);
});

test('a 404 shows ERROR with context and description; replacing the URL recovers it', async ({
  page,
  ferry,
  files,
}) => {
  files.setFile('/good.bin', A);
  await page.goto(ferry.url);
  await addThroughDialog(page, [files.url('/gone.bin')], ferry.downloads);
  const job = row(page, 'gone.bin');
  await expect(job).toHaveAttribute('data-state', 'ERROR');
  await expect(job.locator('.job-error')).not.toBeEmpty();
  // Resume/Complete/Cancel allowed in ERROR per the table; Suspend too.
  await job.click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();

  const error = page.getByRole('region', { name: 'Error' });
  await expect(error.locator('[data-field="context"]')).toHaveText('Remote file');
  await expect(error.locator('[data-field="code"]')).toContainText('HTTP_NOT_FOUND');
  await expect(error.locator('[data-field="code"]')).toContainText('404');
  await expect(error.locator('[data-field="description"]')).not.toBeEmpty();
  await page.screenshot({ path: 'test-results/screens/details-error.png' });

  await error.getByLabel('Replace URL').fill(files.url('/good.bin'));
  await error.getByRole('button', { name: 'Replace URL and retry' }).click();
  await expect(job).toHaveAttribute('data-state', 'TRANSFERRED');
  await page.getByRole('button', { name: 'Complete' }).click();
  await page.getByRole('button', { name: 'History' }).click();
  await expect(row(page, 'gone.bin')).toHaveAttribute('data-state', 'ACKNOWLEDGED');
  expect(await sha256File(join(ferry.downloads, 'gone.bin'))).toBe(sha256OfTestFile(A));
});

test('French and dark mode from the settings', async ({ page, ferry, files }) => {
  files.setFile('/a.bin', A);
  await page.goto(ferry.url);
  await addThroughDialog(page, [files.url('/a.bin')], ferry.downloads, { suspended: true });
  await expect(row(page, 'a.bin')).toHaveAttribute('data-state', 'SUSPENDED');

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.locator('[data-field="dataDir"]')).toHaveText(ferry.dataDir);
  await settings.getByLabel('Language').selectOption('fr');
  await settings.getByLabel('Theme').selectOption('dark');
  await settings.getByRole('button', { name: 'Save' }).click();

  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(row(page, 'a.bin').locator('.state-label')).toHaveText('Suspendu');
  await expect(page.getByRole('button', { name: 'Reprendre' })).toBeVisible();
  await row(page, 'a.bin').click();
  await page.getByRole('button', { name: 'Reprendre' }).click();
  await expect(row(page, 'a.bin').locator('.state-label')).toHaveText('Transféré');
  const background = await page.evaluate(() => {
    const g = globalThis as unknown as {
      getComputedStyle(e: unknown): { backgroundColor: string };
      document: { body: unknown };
    };
    return g.getComputedStyle(g.document.body).backgroundColor;
  });
  expect(background).toBe('rgb(22, 24, 28)');
  await page.screenshot({ path: 'test-results/screens/french-dark.png' });
  await page.getByRole('button', { name: 'Paramètres' }).click();
  await page.screenshot({ path: 'test-results/screens/settings-french-dark.png' });

  // The access token is not left in the address bar (nor in history or bookmarks)...
  expect(page.url()).not.toContain('token=');
  // ...and the choice lives in the host's settings: a reload keeps it (and stays connected).
  await page.reload();
  await expect(row(page, 'a.bin').locator('.state-label')).toHaveText('Transféré');
});
