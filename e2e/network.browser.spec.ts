import type { Page } from '@playwright/test';
import { createServer, type AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { expect, snap, test } from './browser-host';
import { expectNoSeriousA11yIssues, invoke, openDashboardOnDemo, settle } from './sync-fixture';

/** A port on 127.0.0.1 where nothing listens: a proxy that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A CA certificate made now, valid for `days` more days. */
async function caCertificate(name: string, days: number): Promise<string> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: name }], {
    algorithm: 'sha256',
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(now - 3_600_000),
    notAfterDate: new Date(now + days * 86_400_000),
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }],
  });
  return pems.cert;
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
}

test('Settings → Network: a manual proxy saved and listed, its Test against an unreachable proxy, a CA by subject and expiry', async ({
  page,
  host,
}) => {
  const port = await closedPort();
  const proxy = `http://127.0.0.1:${port}`;
  await openDashboardOnDemo(page, host, { users: 30, groups: 5 });
  await openSettings(page);
  const network = page.getByTestId('settings-network');
  await network.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('network-saved-proxy')).toContainText('This computer’s proxy');
  await expect(page.getByTestId('network-saved-ca')).toContainText('None');
  await expect(page.getByTestId('network-test-note')).toContainText('login.microsoftonline.com');
  await expect(page.getByTestId('network-test-note')).toContainText('The demo tenant runs on this computer');

  // A wrong address is refused with its reason, and nothing is saved.
  await network.getByRole('radio', { name: 'A proxy I enter' }).check();
  await page.getByTestId('network-proxy-url').fill('socks5://127.0.0.1:1080');
  await network.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(network.getByText('The proxy address must start with http:// or https://')).toBeVisible();
  await expect(page.getByTestId('network-problems')).toContainText('One value needs correcting');
  await expect(page.getByTestId('network-saved-proxy')).toContainText('This computer’s proxy');
  await settle(page);
  await network.screenshot({ path: 'e2e-artifacts/settings-network-invalid-light.png' });
  expect((await invoke<{ proxy: { mode: string } }>(page, host, 'network:get')).proxy.mode).toBe('system');

  // The right one, with hosts that bypass it: saved, and listed.
  await page.getByTestId('network-proxy-url').fill(proxy);
  await page.getByTestId('network-bypass').fill('intranet.example.com\n.corp.example.com');
  await network.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('network-saved-note')).toContainText('The next connection test and sync use these settings');
  await expect(page.getByTestId('network-saved-proxy')).toHaveText(proxy);
  await expect(page.getByTestId('network-saved-bypass')).toHaveText('intranet.example.com, .corp.example.com');

  // Test: the token host is tried through that proxy, and the answer says what happened, in words.
  await page.getByTestId('network-test').click();
  const result = page.getByTestId('network-test-result');
  await expect(result).toContainText(`The proxy ${proxy} refused the connection`, { timeout: 20_000 });
  await expect(result).not.toContainText('ECONNREFUSED');

  // A CA certificate loaded from a file, expiring in 20 days: shown by subject and expiry, with a warning.
  const pem = await caCertificate('Contoso Inspection CA', 20);
  await page
    .getByTestId('network-ca-file')
    .setInputFiles({ name: 'proxy-ca.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) });
  await expect(page.getByTestId('network-ca-pem')).toHaveValue(/BEGIN CERTIFICATE/);
  await network.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('network-ca-subject')).toHaveText('CN=Contoso Inspection CA');
  await expect(page.getByTestId('network-ca-expiry')).toContainText(/Expires on .+ \((19|20) days left\): ask for its successor/);
  await expect(network.getByText('Expires soon', { exact: true })).toBeVisible();
  await settle(page);
  await network.screenshot({ path: 'e2e-artifacts/settings-network-light.png' });
  await snap(page, 'settings-network-page-light');
  await expectNoSeriousA11yIssues(page, 'settings, network');

  // Kept across a reload: the saved values are what the section shows.
  await page.reload();
  await openSettings(page);
  await expect(page.getByTestId('network-saved-proxy')).toHaveText(proxy);
  await expect(page.getByTestId('network-ca-subject')).toHaveText('CN=Contoso Inspection CA');

  await page.getByRole('radio', { name: 'Dark', exact: true }).check();
  await settle(page, 'dark');
  await page.getByTestId('network-test').click();
  await expect(page.getByTestId('network-test-result')).toContainText('refused the connection', { timeout: 20_000 });
  await settle(page);
  await page.getByTestId('settings-network').screenshot({ path: 'e2e-artifacts/settings-network-dark.png' });
  await expectNoSeriousA11yIssues(page, 'settings, network, dark');
});
