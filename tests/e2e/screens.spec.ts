// The main views at 1280×800 and 800×600, English and French, light and dark, saved as
// artifacts in test-results/screens/, and checked for clipped text: every label that is
// narrower than its text must end in an ellipsis and carry its full text as a tooltip.
//
// Regression: at 1280 px "Time left" and sizes were cut, French labels were clipped without
// an ellipsis, and at 800 px the status bar wrapped to three lines.
import type { Page } from '@playwright/test';
import { addThroughDialog, expect, row, test } from './fixtures.js';

/** Visible elements whose text does not fit and is cut without an ellipsis or a tooltip. */
async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    interface El {
      readonly scrollWidth: number;
      readonly clientWidth: number;
      readonly textContent: string | null;
      readonly className: unknown;
      readonly tagName: string;
      closest(selector: string): El | null;
      getAttribute(name: string): string | null;
      getClientRects(): { length: number };
    }
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): Iterable<El> };
      getComputedStyle(e: El): { textOverflow: string; overflow: string; display: string };
    };
    const selector = [
      '.toolbar button',
      '.tool-label',
      '.filter-bar button',
      '.sort-button',
      '.col-label',
      '.state-label',
      '.job-name',
      '.job-meta',
      '.cell',
      '.status-bar > *',
      '.details h2',
      '.details dt',
      '.context-menu button',
      '.modal label',
      '.modal button',
      '.settings-tabs button',
    ].join(',');
    const bad: string[] = [];
    // Bars that must hold their content on one line without scrolling sideways.
    for (const el of g.document.querySelectorAll(
      '.top, .toolbar, .filter-bar, .status-bar, .job-header',
    )) {
      if (el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth + 1) {
        bad.push(
          `${el.tagName.toLowerCase()}.${String(el.className)} overflows ${String(el.scrollWidth)}>${String(el.clientWidth)}`,
        );
      }
    }
    for (const el of g.document.querySelectorAll(selector)) {
      if (el.getClientRects().length === 0) continue;
      if (el.scrollWidth <= el.clientWidth + 1) continue;
      const style = g.getComputedStyle(el);
      const titled = el.closest('[title]') !== null || el.getAttribute('aria-label') !== null;
      if (style.textOverflow === 'ellipsis' && titled) continue;
      bad.push(
        `${el.tagName.toLowerCase()}.${String(el.className)} "${(el.textContent ?? '').slice(0, 40)}" ${String(el.scrollWidth)}>${String(el.clientWidth)}`,
      );
    }
    return bad;
  });
}

/** The status bar holds one line. */
async function statusBarLines(page: Page): Promise<number> {
  const box = await page.locator('.status-bar').boundingBox();
  return box === null ? 0 : Math.round(box.height / 28);
}

async function setLanguage(page: Page, language: 'en' | 'fr'): Promise<void> {
  const settings = page.locator('.top [data-action="settings"]');
  await settings.click();
  const dialog = page.locator('dialog.settings-dialog');
  await dialog.getByLabel(language === 'fr' ? 'Language' : 'Langue').selectOption(language);
  await dialog.locator('button[type="submit"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(dialog).toBeHidden();
}

test('main views at both widths, in both languages and themes, clip nothing', async ({
  page,
  ferry,
  files,
}) => {
  test.setTimeout(120_000);
  files.setFile('/Debian-13.1-amd64-netinst.iso', { body: { size: 200_000, seed: 1 } });
  files.setFile('/video/holiday-2025-family-trip-compilation.mp4', {
    body: { size: 40_000_000, seed: 2 },
    throttleBytesPerSec: 400_000,
  });
  files.setFile('/stream/live', {
    body: { size: 30_000_000, seed: 3 },
    sendLength: false,
    throttleBytesPerSec: 100_000,
  });
  files.setFile('/busy.zip', { body: { size: 10_000, seed: 4 }, status: 503 });
  files.setFile('/report.pdf', { body: { size: 500_000, seed: 5 } });
  await page.goto(ferry.url);
  await addThroughDialog(
    page,
    [
      files.url('/Debian-13.1-amd64-netinst.iso'),
      files.url('/video/holiday-2025-family-trip-compilation.mp4'),
      files.url('/stream/live'),
      files.url('/gone/missing-file.tar.gz'),
      files.url('/busy.zip'),
    ],
    ferry.downloads,
  );
  await addThroughDialog(page, [files.url('/report.pdf')], ferry.downloads, { suspended: true });
  await expect(row(page, 'Debian-13.1-amd64-netinst.iso')).toHaveAttribute(
    'data-state',
    'ACKNOWLEDGED',
  );
  await expect(row(page, 'missing-file.tar.gz')).toHaveAttribute('data-state', 'ERROR');
  await expect(row(page, 'busy.zip')).toHaveAttribute('data-state', 'TRANSIENT_ERROR');
  await expect(row(page, 'report.pdf')).toHaveAttribute('data-state', 'SUSPENDED');
  await expect(row(page, 'holiday-2025-family-trip-compilation.mp4')).toHaveAttribute(
    'data-state',
    'TRANSFERRING',
  );

  for (const language of ['en', 'fr'] as const) {
    if (language === 'fr') await setLanguage(page, 'fr');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        const name = `${language}-${scheme}-${String(width)}`;
        // The list with nothing selected, then with the details of the running download.
        await page.keyboard.press('Escape');
        await page.screenshot({ path: `test-results/screens/list-${name}.png` });
        expect(await clippedText(page), `clipped text in list ${name}`).toEqual([]);
        expect(await statusBarLines(page), `status bar lines ${name}`).toBe(1);
        await row(page, 'holiday-2025-family-trip-compilation.mp4').click();
        await expect(page.locator('#details')).toBeVisible();
        await page.screenshot({ path: `test-results/screens/details-${name}.png` });
        expect(await clippedText(page), `clipped text with details ${name}`).toEqual([]);
        await row(page, 'missing-file.tar.gz').click();
        await page.screenshot({ path: `test-results/screens/error-${name}.png` });
        // The context menu of a done download, and the finished view.
        await row(page, 'Debian-13.1-amd64-netinst.iso').click({ button: 'right' });
        await expect(page.getByRole('menu')).toBeVisible();
        await page.screenshot({ path: `test-results/screens/menu-${name}.png` });
        expect(await clippedText(page), `clipped text in the menu ${name}`).toEqual([]);
        await page.keyboard.press('Escape');
        if (scheme === 'light') {
          await page.locator('.top [data-action="add"]').click();
          await page
            .locator('dialog.add-dialog textarea')
            .fill(
              [
                files.url('/report.pdf'),
                'not a url',
                files.url('/Debian-13.1-amd64-netinst.iso'),
              ].join('\n'),
            );
          await expect(page.locator('.preview li')).toHaveCount(3);
          await page.screenshot({ path: `test-results/screens/add-${name}.png` });
          expect(await clippedText(page), `clipped text in add ${name}`).toEqual([]);
          await page.keyboard.press('Escape');
          await page.locator('.top [data-action="settings"]').click();
          await page.locator('.settings-tabs button').nth(2).click();
          await page.screenshot({ path: `test-results/screens/settings-${name}.png` });
          expect(await clippedText(page), `clipped text in settings ${name}`).toEqual([]);
          await page.keyboard.press('Escape');
        }
      }
    }
  }
});
