// Admin settings in a real Chromium against the real API: calendars (weekly hours, holidays, GOV.UK import,
// preview), policies, organisations, users.
import type { Browser, Page } from 'playwright-core';
import { ADMIN, createTicket, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  screenshot,
  signIn,
  WEB_DIST,
} from './support/browser';

// testTimeout in a Jest project config is not applied (it is a global option): set it here.
jest.setTimeout(120_000);

const CONTRACT = 'Contract hours (09:00–18:00 GMT, England and Wales)';

/** Runs `action` and waits for the calendar it saves to be answered by the API (before reading it back). */
async function savedBy(page: Page, action: () => Promise<unknown>): Promise<void> {
  const saved = page.waitForResponse(
    (r) =>
      /^\/api\/admin\/calendars(\/[^/]+)?$/.test(new URL(r.url()).pathname) &&
      ['POST', 'PATCH'].includes(r.request().method()),
  );
  await action();
  expect((await saved).ok()).toBe(true);
}

describe('admin settings', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let base: string;

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: false, env: { WEB_DIST } });
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    admin = await h.login(ADMIN.email);
    browser = await launch();
    page = (await openViewer(browser, base, { timezoneId: 'America/New_York' })).page;
    await signIn(page, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('an admin changes a calendar’s hours and the preview moves; the change is saved', async () => {
    await page.getByRole('link', { name: 'Calendars' }).click();
    await screenshot(page, 'admin-calendars');
    await page.getByRole('button', { name: `Edit calendar ${CONTRACT}` }).click();
    const preview = page.getByTestId('calendar-preview');
    await page.getByLabel('Received at (UTC)').fill('2024-03-12T17:30');
    await page.getByLabel('Severity', { exact: true }).selectOption('1');
    // Worked example: Tue 17:30 with severity 1 → Wed 09:30.
    await expectText(
      preview,
      'Received at Tue, 12 Mar 2024, 17:30 UTC with severity 1 → due at Wed, 13 Mar 2024, 09:30 UTC',
    );
    await expectText(preview, '(Wed, 13 Mar 2024, 05:30 GMT-4 your time)');
    // Open Tuesdays until 19:00: the hour fits in Tuesday.
    await page.getByLabel('Tuesday interval 1 closes at').fill('19:00');
    await expectText(preview, 'due at Tue, 12 Mar 2024, 18:30 UTC');
    await screenshot(page, 'admin-calendar-editor');
    // Next to the save button: what saving changes (new tickets of the policies that follow it) and what not.
    await expectText(
      page.locator('#calendar-save-effect'),
      'Saving changes the due times of new tickets under the policy Standard support. Open tickets keep the due times they have.',
    );
    await savedBy(page, () => page.getByRole('button', { name: 'Save calendar' }).click());
    await expectText(page.getByRole('list').filter({ hasText: CONTRACT }), 'Tue');
    const standard = (
      await h.http.get('/api/admin/policies').set('authorization', `Bearer ${admin}`).expect(200)
    ).body.find((p: { name: string }) => p.name === 'Standard support');
    expect(standard.document.calendar.week.tue).toEqual([['09:00', '19:00']]);
    const cals = (
      await h.http.get('/api/admin/calendars').set('authorization', `Bearer ${admin}`).expect(200)
    ).body;
    const saved = cals.find((c: { name: string }) => c.name === CONTRACT);
    expect(saved.document.week.tue).toEqual([['09:00', '19:00']]);
    expect(saved.document.week.mon).toEqual([['09:00', '18:00']]);
  });

  it('imports GOV.UK bank holidays, and a holiday moves the preview', async () => {
    await page.getByRole('button', { name: `Edit calendar ${CONTRACT}` }).click();
    const file = {
      'england-and-wales': {
        division: 'england-and-wales',
        events: [{ title: 'Made-up holiday', date: '2024-03-13', notes: '', bunting: true }],
      },
      scotland: {
        division: 'scotland',
        events: [{ title: 'St Andrew’s Day', date: '2024-12-02', notes: '', bunting: true }],
      },
    };
    await page.getByLabel('bank-holidays.json file').setInputFiles({
      name: 'bank-holidays.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await page.getByLabel('Division').selectOption('england-and-wales');
    await page.getByRole('button', { name: 'Add 1 holidays' }).click();
    await expectText(page.locator('.holiday-list'), '2024-03-13');
    await page.getByLabel('Received at (UTC)').fill('2024-03-12T18:30');
    // Tuesdays now close at 19:00: 30 min on Tuesday, Wednesday is the imported holiday → Thu 09:30.
    await expectText(page.getByTestId('calendar-preview'), 'due at Thu, 14 Mar 2024, 09:30 UTC');
    // A file that is not GOV.UK's format is refused next to the field.
    await page.getByLabel('bank-holidays.json file').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"england-and-wales": {"events": [{"date": "13/03/2024"}]}}'),
    });
    await expectText(
      page
        .locator('.field', { has: page.getByLabel('bank-holidays.json file') })
        .getByRole('alert'),
      'has no valid date (YYYY-MM-DD)',
    );
    await savedBy(page, () => page.getByRole('button', { name: 'Save calendar' }).click());
    const cals = (
      await h.http.get('/api/admin/calendars').set('authorization', `Bearer ${admin}`).expect(200)
    ).body;
    expect(cals.find((c: { name: string }) => c.name === CONTRACT).document.holidays).toContain(
      '2024-03-13',
    );
  });

  it('a bad time zone is refused before saving, with the reason next to the field', async () => {
    await page.getByRole('button', { name: `Edit calendar ${CONTRACT}` }).click();
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await expectText(
      page.locator('.field', { has: page.getByLabel('Time zone') }).getByRole('alert'),
      'timeZone: "Mars/Olympus" is not an IANA time zone',
    );
    expect(await page.getByRole('button', { name: 'Save calendar' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('policies show their targets; an admin changes a target and the API keeps it', async () => {
    await page.getByRole('link', { name: 'Policies' }).click();
    await expectText(
      page.locator('.card', { hasText: 'Standard support' }),
      'Severity 1: First response 1h 00m business',
    );
    await screenshot(page, 'admin-policies');
    await page.getByRole('button', { name: 'Edit policy Standard support' }).click();
    const sev2 = page.getByRole('group', { name: 'Severity 2 targets' });
    await sev2.getByLabel('Minutes').fill('180');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expectText(
      page.locator('.card', { hasText: 'Standard support' }),
      'Severity 2: First response 3h 00m business',
    );
    const policies = (
      await h.http.get('/api/admin/policies').set('authorization', `Bearer ${admin}`).expect(200)
    ).body;
    const standard = policies.find((p: { name: string }) => p.name === 'Standard support');
    expect(standard.document.targets['2'][0].seconds).toBe(3 * 3600);
  });

  it('organisations and users: create a customer organisation and its user; a duplicate e-mail is refused with the API’s reason', async () => {
    await page.getByRole('link', { name: 'Organisations' }).click();
    await page.getByRole('button', { name: 'New organisation' }).click();
    await page.getByLabel('Name').fill('Globex');
    await page.getByLabel('SLA policy').selectOption({ label: 'Standard support' });
    await page.getByLabel('E-mail domains').fill('globex.example, not a domain');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await expectText(
      page.locator('.field', { has: page.getByLabel('E-mail domains') }).getByRole('alert'),
      'each of emailDomains must be a domain name',
    );
    await page.getByLabel('E-mail domains').fill('globex.example');
    await page.getByLabel('Severity of e-mailed tickets').selectOption({ label: 'Severity 2' });
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await expectText(page.getByRole('row', { name: /Globex/ }), 'globex.example');
    const globex = (
      await h.http
        .get('/api/admin/organizations')
        .set('authorization', `Bearer ${admin}`)
        .expect(200)
    ).body.find((o: { name: string }) => o.name === 'Globex');
    expect(globex).toMatchObject({ emailDomains: ['globex.example'], defaultSeverity: 2 });
    await screenshot(page, 'admin-organisations');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('E-mail address').fill('alice@acme.example');
    await page.getByLabel('Name', { exact: true }).fill('Another Alice');
    await page.getByLabel('Role').selectOption('customer');
    await page.getByLabel('Organisation').selectOption({ label: 'Globex' });
    await page.getByLabel('Password').fill('long-enough-password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expectText(
      page.getByRole('form', { name: 'New user' }).getByRole('alert').first(),
      'alice@acme.example',
    );
    await page.getByLabel('E-mail address').fill('homer@globex.example');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expectText(page.getByRole('row', { name: /homer@globex.example/ }), 'Globex');
    await screenshot(page, 'admin-users');
    const res = await h.http
      .post('/api/auth/login')
      .send({ email: 'homer@globex.example', password: 'long-enough-password' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ role: 'customer', name: 'Another Alice' });
  });

  it('staff settings are out of a customer’s reach; a customer admin sees the organisation’s tickets', async () => {
    const alice = await h.login('alice@acme.example');
    const t = await createTicket(h, alice, {
      subject: 'Raised by a colleague',
      description: 'seen by the customer admin',
      severity: 3,
    });
    const other = await openViewer(browser, base);
    await signIn(other.page, 'carol@acme.example', DEMO_PASSWORD);
    await expectText(other.page.getByRole('heading', { level: 1 }), "Our organisation's tickets");
    await expectText(
      other.page.getByRole('row', { name: new RegExp(t.reference) }),
      'Raised by a colleague',
    );
    await other.page.goto('/admin/calendars');
    await other.page.waitForURL(/\/portal/);
    expect(await other.page.getByRole('link', { name: 'Calendars' }).count()).toBe(0);
    await other.context.close();
  });
});
