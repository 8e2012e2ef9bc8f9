import type { TestFile } from '../support/http-server.js';
import { expect, row, test } from './fixtures.js';

const A: TestFile = { body: { size: 200_000, seed: 5 } };

test('a Delivery Optimization job: chosen in the Add dialog, badged in the list, explained in the details, in English and French', async ({
  page,
  ferry,
  files,
  rpc,
}) => {
  files.setFile('/do.bin', A);
  files.setFile('/bits.bin', A);
  await page.goto(ferry.url);

  // The job model is an advanced option of the Add dialog; BITS unless changed.
  await page.locator('.top [data-action="add"]').click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await dialog.getByLabel('URLs, one per line').fill(files.url('/do.bin'));
  await dialog.getByLabel('Save to folder').fill(ferry.downloads);
  await dialog.getByLabel('Add paused').check();
  await dialog.getByText('Advanced options').click();
  await expect(dialog.getByLabel('Job model')).toHaveValue('BITS');
  await dialog.getByLabel('Job model').selectOption('DO');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(row(page, 'do.bin')).toHaveAttribute('data-state', 'SUSPENDED');

  await page.locator('.top [data-action="add"]').click();
  await dialog.getByLabel('URLs, one per line').fill(files.url('/bits.bin'));
  await dialog.getByLabel('Add paused').check();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(row(page, 'bits.bin')).toHaveAttribute('data-state', 'SUSPENDED');

  // The host made one job of each flavour; only the DO one wears a badge.
  const jobs = await rpc.invoke('jobs.enum', {});
  expect(jobs.map((j) => [j.displayName, j.flavour]).sort()).toEqual([
    ['bits.bin', 'BITS'],
    ['do.bin', 'DO'],
  ]);
  await expect(row(page, 'do.bin').locator('.flavour-badge')).toHaveText('DO');
  await expect(row(page, 'bits.bin').locator('.flavour-badge')).toHaveCount(0);

  // The details say which model and what its state means, as that model's page words it;
  // a DO job has no retry delay to set, only the time limit every job has.
  await row(page, 'do.bin').click();
  await page.locator('.advanced summary').click();
  await expect(page.locator('[data-field="flavour"]')).toHaveText('Delivery Optimization');
  await expect(page.locator('[data-field="state-description"]')).toHaveText(
    /^Specifies that the job is suspended \(paused\)\. .* The job remains suspended/,
  );
  await expect(page.locator('[data-field="state-description"]')).not.toContainText('automatically');
  await expect(page.locator('[data-field="retry-delay-do"]')).toContainText('now 1 min');
  await expect(
    page.getByLabel('Give up after connecting and transferring for (0 = never)', { exact: true }),
  ).toHaveValue('90');

  await row(page, 'bits.bin').click();
  await expect(page.locator('[data-field="flavour"]')).toHaveText('BITS');
  await expect(page.locator('[data-field="state-description"]')).toContainText(
    'BITS automatically suspends a job when it is created.',
  );
  await expect(page.getByLabel('Wait before retrying', { exact: true })).toHaveValue('10');

  // The time limits are settings, in people's units.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Advanced' }).click();
  await expect(
    settings.getByLabel('Cancel downloads left untouched for (0 = never)', { exact: true }),
  ).toHaveValue('90');
  await expect(
    settings.getByLabel('Give up a download that has been transferring for', { exact: true }),
  ).toHaveValue('90');
  await settings.getByRole('tab', { name: 'General' }).click();
  await settings.getByLabel('Language').selectOption('fr');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings).toBeHidden();

  // French follows the French Delivery Optimization page.
  await row(page, 'do.bin').click();
  await expect(page.locator('[data-field="flavour"]')).toHaveText('Delivery Optimization');
  await expect(page.locator('[data-field="state-description"]')).toHaveText(
    /^Spécifie que le travail est suspendu \(en pause\)\./,
  );
  await rpc.invoke('job.resume', { jobId: jobs.find((j) => j.flavour === 'DO')?.id ?? '' });
  // Added with "save finished downloads at once": Complete follows, ACKNOWLEDGED.
  await expect(row(page, 'do.bin')).toHaveAttribute('data-state', 'ACKNOWLEDGED');
  await expect(page.locator('[data-field="state-description"]')).toHaveText(
    /^Spécifie que vous avez appelé la méthode IBackgroundCopyJob::Complete/,
  );
});
