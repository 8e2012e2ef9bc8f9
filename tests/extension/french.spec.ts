// The extension in a French browser speaks French: its popup, its options page and what it
// tells Ferry's window about itself follow the browser's language.
import { expect, test } from './fixtures.js';

test.use({ browserLanguage: 'fr' });

test('the popup and the options page are in French in a French browser', async ({ ext, ferry }) => {
  const popup = await ext.openPopup();
  await expect(popup.locator('#status')).toHaveText(
    'En attente de votre accord dans la fenêtre de Ferry',
  );
  await expect(popup.locator('label.switch')).toHaveText(
    'Prendre les téléchargements du navigateur',
  );
  await expect(popup.locator('html')).toHaveAttribute('lang', 'fr');
  await ferry.cli('browsers', 'allow', 'chromium', ext.extensionId);
  await expect(popup.locator('#status')).toHaveText('Connecté à Ferry');
  await expect(popup.locator('#recent')).toHaveText('Aucun téléchargement pour l’instant.');

  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await expect(options.getByRole('button', { name: 'Enregistrer' })).toBeVisible();
  await expect(options.locator('#bypass-key option')).toHaveText([
    'Alt',
    'Maj',
    'Ctrl (⌘ sur Mac)',
  ]);
});
