// The pairing as the user sees it in Ferry's window (served by `ferry serve`, in the same
// Chromium): the window asks before an extension may hand anything over, its settings list
// the allowed extension with a Revoke button, and "Download all links with Ferry" opens the
// Add dialog with the links.
import { expect, test } from './fixtures.js';

test('the window asks to pair, lists the extension in its settings, revokes it, and takes links', async ({
  ext,
  ferry,
  site,
}) => {
  const window = await ext.context.newPage();
  await window.goto(ferry.url);
  await expect(window.locator('.pairing-request')).toHaveCount(0);

  const popup = await ext.openPopup();
  await expect(popup.locator('#status')).toHaveText("Waiting for your approval in Ferry's window");
  await window.bringToFront();
  const request = window.getByRole('alertdialog');
  await expect(request).toContainText(
    `Ferry 0.1.0 in Chrome, Chromium or Edge (extension ${ext.extensionId})`,
  );
  await request.getByRole('button', { name: 'Allow' }).click();
  await expect(request).toHaveCount(0);
  await popup.bringToFront();
  await expect(popup.locator('#status')).toHaveText('Connected to Ferry');

  // "Download all links with Ferry" on a selection: the Add dialog opens with the links.
  const page = await ext.context.newPage();
  await page.goto(`${site.origin}/page.html`);
  await page.evaluate(
    "document.getSelection().selectAllChildren(document.getElementById('intro'))",
  );
  await ext.clickMenu('ferry-selection', `${site.origin}/page.html`);
  await window.bringToFront();
  const add = window.locator('dialog.add-dialog textarea');
  await expect(add).toHaveValue(
    [
      `${site.origin}/download?id=42`,
      `${site.origin}/files/notes.iso`,
      `${site.origin}/files/readme.txt`,
    ].join('\n'),
  );
  await window.keyboard.press('Escape');

  // Settings → Advanced: the allowed extension, and Revoke.
  await window.getByRole('button', { name: 'Settings' }).click();
  await window.getByRole('tab', { name: 'Advanced' }).click();
  const allowed = window.locator(`.paired-extensions li[data-extension-id="${ext.extensionId}"]`);
  await expect(allowed).toContainText('Ferry 0.1.0');
  await allowed.getByRole('button', { name: 'Revoke' }).click();
  await expect(allowed).toHaveCount(0);
  await popup.bringToFront();
  await expect(popup.locator('#status')).toHaveText('Ferry refused this extension');
  expect(JSON.parse(await ferry.cli('browsers', '--json'))).toEqual({ pending: [], paired: [] });
});
