// Two-factor authentication in a real Chromium against the real API: a user enrols on the Security
// page (QR code, key, recovery codes shown once) and signs in with a code; an admin sees who has 2FA,
// requires it for a role, and a user of that role is led to enrolment.
import type { Browser, Page } from 'playwright-core';
import { ADMIN, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import { appCode, freshStep } from '../support/totp';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  screenshot,
  signIn,
  WEB_DIST,
} from './support/browser';

jest.setTimeout(120_000);

describe('two-factor authentication in the browser', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let secret: string;

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: false, env: { WEB_DIST } });
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const signOut = async (page: Page) => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/login'));
  };

  it('an agent enrols on the Security page and signs in with the code', async () => {
    const { page } = await openViewer(browser, base);
    await signIn(page, 'agent1@helpdesk.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await expectText(
      page.getByRole('form', { name: 'Set up two-factor authentication' }),
      'Scan this code',
    );
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    secret = (await page.getByTestId('totp-secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, 'security-enrol-two-factor');

    await freshStep();
    await page.getByLabel('Code from the app').fill(appCode(secret, -1));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('region', { name: 'Recovery codes' }).getByRole('listitem');
    await expectText(page.getByRole('region', { name: 'Recovery codes' }), 'shown only now');
    expect(await codes.count()).toBe(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'On (authenticator app)' }),
      '10 recovery codes left',
    );
    await expect(page.getByRole('region', { name: 'Recovery codes' }).count()).resolves.toBe(0);
    // The sessions list shows this one.
    await expectText(page.getByRole('table'), '(this session)');

    await signOut(page);
    await page.getByLabel('E-mail address').fill('agent1@helpdesk.local');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Two-factor authentication');
    await page.getByLabel('Authentication code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page.getByRole('alert'), 'The code is wrong');
    await page.getByLabel('Authentication code').fill(appCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => u.pathname === '/desk');
    await page.context().close();
  });

  it('an admin sees who has 2FA and requires it for managers; a manager is led to enrolment', async () => {
    const { page } = await openViewer(browser, base);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Two-factor' }).click();
    const table = page.getByRole('table', { name: 'Two-factor authentication by user' });
    await expectText(
      table.getByRole('row').filter({ hasText: 'agent1@helpdesk.local' }),
      'Authenticator app since',
    );
    await expectText(table.getByRole('row').filter({ hasText: 'manager@helpdesk.local' }), 'Off');
    expect(await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href')).toBe(
      '/api/admin/two-factor/export',
    );
    await page.getByRole('checkbox', { name: 'Managers' }).check();
    await page.getByRole('button', { name: 'Save required roles' }).click();
    await expectText(table.getByRole('row').filter({ hasText: 'manager@helpdesk.local' }), 'Yes');
    await screenshot(page, 'admin-two-factor');
    await page.context().close();

    const manager = (await openViewer(browser, base)).page;
    await signIn(manager, 'manager@helpdesk.local', DEMO_PASSWORD);
    await manager.waitForURL((u) => u.pathname === '/security');
    await expectText(
      manager.getByRole('alert'),
      'Two-factor authentication is required for your account',
    );
    await manager.goto('/desk');
    await manager.waitForURL((u) => u.pathname === '/security');
    await manager.context().close();
  });
});
