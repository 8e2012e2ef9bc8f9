// The window's Network settings (issue 14): the default proxy of new downloads and the extra
// CA certificates file, saved through the real dialog and read back from the host; and a
// download's trusted certificate, pasted as a browser shows it, in its properties.
import { makeTestCa } from '../support/test-ca.js';
import { addThroughDialog, expect, row, test } from './fixtures.js';

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

test('a download trusts a self-signed certificate pasted into its properties', async ({
  page,
  ferry,
  files,
  rpc,
}) => {
  const ca = makeTestCa();
  try {
    files.setFile('/nas.bin', { body: Buffer.from('x') });
    await page.goto(ferry.url);
    await addThroughDialog(page, [files.url('/nas.bin')], ferry.downloads, { suspended: true });
    await row(page, 'nas.bin').click();
    await page.locator('.advanced summary').click();
    await expect(page.locator('[data-help="trusted-certs"]')).toContainText('self-signed');
    // As a browser's certificate viewer shows it: upper case, colons.
    const hex = ca.selfSigned.fingerprint.slice('sha256:'.length);
    const pasted = (hex.match(/../g) ?? []).join(':').toUpperCase();
    await page
      .getByLabel('Trusted server certificates (SHA-256 fingerprints, one per line)')
      .fill(pasted);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    const [job] = await rpc.invoke('jobs.enum', { allUsers: false, includeHistory: false });
    expect(job?.transferPolicy.trustedCertificates).toEqual([ca.selfSigned.fingerprint]);
  } finally {
    ca.cleanup();
  }
});
