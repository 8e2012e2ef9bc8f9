// The window's Network settings (issue 14): the default proxy of new downloads and the extra
// CA certificates file, saved through the real dialog and read back from the host.
import { makeTestCa } from '../support/test-ca.js';
import { expect, test } from './fixtures.js';

test('the default proxy and the extra CA file are set in the Network section', async ({
  page,
  ferry,
  rpc,
}) => {
  const ca = makeTestCa();
  try {
    await page.goto(ferry.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Network' }).click();
    await expect(settings.locator('[data-help="proxy"]')).toContainText('CONNECT');

    // A manual proxy with no address is named before anything is sent.
    await settings.getByLabel('Use', { exact: true }).selectOption('OVERRIDE');
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings.getByRole('alert')).toContainText('Give at least one proxy');

    await settings
      .getByLabel('Proxies, one per line (http://user:password@host:port)')
      .fill('http://proxy.example:3128');
    await settings
      .getByLabel('Go direct to these hosts, one per line (*.example.com, <local>)')
      .fill('<local>\n*.intranet.example');
    // A file that is not a certificate is refused by the host, with its reason.
    const caField = settings.getByLabel('Extra CA certificates (PEM file)');
    await caField.fill(`${ca.caPath}.missing`);
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings.getByRole('alert')).toContainText('cannot be used');
    expect((await rpc.invoke('settings.get', {})).engine.extraCaCertificates).toBe('');

    await caField.fill(ca.caPath);
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings).toBeHidden();
    const saved = await rpc.invoke('settings.get', {});
    expect(saved.engine.defaultProxy).toEqual({
      usage: 'OVERRIDE',
      proxyList: ['http://proxy.example:3128'],
      bypassList: ['<local>', '*.intranet.example'],
    });
    expect(saved.engine.extraCaCertificates).toBe(ca.caPath);
    // New downloads take it.
    const job = await rpc.invoke('job.create', { displayName: 'proxied' });
    expect(job.proxy.proxyList).toEqual(['http://proxy.example:3128']);
  } finally {
    ca.cleanup();
  }
});
