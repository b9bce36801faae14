// The customer portal and the agent workspace in a real Chromium, against the real API, PostgreSQL and Redis.
import { DEFAULT_CALENDAR, isOpen } from '@app/business-hours';
import type { Browser, Page } from 'playwright-core';
import {
  createTicket,
  DEMO_PASSWORD,
  fastCustomer,
  Harness,
  startHarness,
} from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  screenshot,
  signIn,
  WEB_DIST,
  type Viewer,
} from './support/browser';

/** An instant as a person in `zone` reads it: "Mon, 23 Nov 2026, 23:00" (the app adds the zone's name). */
function local(iso: string, zone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(Date.parse(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.weekday}, ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

// testTimeout in a Jest project config is not applied (it is a global option): set it here.
jest.setTimeout(120_000);

const MEANINGS = [
  'operational problem with the platform that causes downtime, unresponsiveness or system errors for all users',
  'operational problem that causes material degradation of performance for isolated users',
  'everything works, but there are cosmetic errors, documentation errors or enhancement requests',
];

describe('customer portal and agent workspace', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let admin: string;
  let customer: Viewer;
  let agent: Viewer;
  let ticketId: string;
  let reference: string;

  const api = (token: string) => ({
    get: async (path: string) =>
      (await h.http.get(path).set('authorization', `Bearer ${token}`).expect(200)).body,
  });

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: true, env: { WEB_DIST } });
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    admin = await h.login('admin@helpdesk.test');
    browser = await launch();
    customer = await openViewer(browser, base, { timezoneId: 'Pacific/Auckland' });
    agent = await openViewer(browser, base, { timezoneId: 'Europe/London' });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('a customer raises a severity 1 ticket, choosing among the contract’s meanings, and sees when we will answer in their own time zone', async () => {
    const page = customer.page;
    await signIn(page, 'alice@acme.example', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Raise a ticket' }).first().click();
    const severity = page.getByRole('group', { name: 'Severity' });
    for (const meaning of MEANINGS) await expectText(severity, meaning);
    await page.getByLabel('Subject').fill('Nobody can sign in to the platform');
    await page.getByLabel('Description').fill('Since 09:00 every user gets an error page.');
    await page.getByRole('radio', { name: /Severity 1/ }).check();
    await screenshot(page, 'portal-raise-ticket');
    await page.getByRole('button', { name: 'Raise ticket' }).click();
    await page.waitForURL(/\/portal\/tickets\//);
    ticketId = page.url().split('/').pop()!;
    const t = await api(admin).get(`/api/tickets/${ticketId}`);
    reference = t.reference;
    expect(t).toMatchObject({
      severity: 1,
      subject: 'Nobody can sign in to the platform',
      channel: 'web',
    });
    const due = t.targets.find((x: { metric: string }) => x.metric === 'first_response').dueAt;
    await expectText(
      page.getByRole('heading', { level: 1 }),
      `${reference}: Nobody can sign in to the platform`,
    );
    const answer = page.locator('dd', { hasText: 'We will answer by' });
    await expectText(answer, `We will answer by ${local(due, 'Pacific/Auckland')} GMT+1`); // NZST +12 / NZDT +13
    expect(await answer.locator('time').getAttribute('datetime')).toBe(due);
    await screenshot(page, 'portal-ticket');
    await page.getByRole('link', { name: 'My tickets' }).click();
    const row = page.getByRole('row', { name: new RegExp(reference) });
    await expectText(row, 'We will answer by');
    await expectText(row, 'New');
    await screenshot(page, 'portal-my-tickets');
  });

  it('shows the API’s own message next to the field it concerns', async () => {
    const page = customer.page;
    await page.goto('/portal/new');
    await page.getByLabel('Subject').fill('Too long');
    await page.getByLabel('Description').fill('x'.repeat(65_537));
    await page.getByRole('radio', { name: /Severity 3/ }).check();
    await page.getByRole('button', { name: 'Raise ticket' }).click();
    const field = page.locator('.field', { has: page.getByLabel('Description') });
    await expectText(field.getByRole('alert'), 'description must be at most 65536 characters');
    expect(await page.getByLabel('Description').getAttribute('aria-invalid')).toBe('true');
  });

  it('an agent finds the ticket at the top of the breaching queue with a live badge, notes internally, then replies in public', async () => {
    // Two quieter tickets of the same customer (same policy), raised just after: due later.
    const carol = await h.login('carol@acme.example');
    await createTicket(h, carol, {
      subject: 'Report slow for one user',
      description: 'Only Bob sees it',
      severity: 2,
    });
    await createTicket(h, carol, {
      subject: 'Typo in the manual',
      description: 'Page 3',
      severity: 3,
    });
    const page = agent.page;
    await signIn(page, 'agent1@helpdesk.local', DEMO_PASSWORD);
    await expectText(page.locator('.queue-row').nth(2), 'Typo in the manual');
    const top = page.locator('.queue-row').first();
    await expectText(top, reference);
    const badge = top.locator('.badge .badge-text');
    const open = isOpen(DEFAULT_CALENDAR, Date.now());
    const before = await badge.innerText();
    if (open) {
      expect(before).toMatch(/^\d+m \d\ds left$|^1h 00m left$/);
      // It counts down while the desk is open.
      await page.waitForTimeout(2100);
      expect(await badge.innerText()).not.toBe(before);
    } else {
      expect(before).toMatch(
        /^Paused: outside business hours, resumes \w+day 09:00 UTC · 1h 00m left$/,
      );
    }
    await screenshot(page, 'desk-queue');

    await top.getByRole('link').click();
    await expectText(page.getByRole('heading', { level: 1 }), reference);
    const composer = page.getByRole('form', { name: /Public reply to the customer/ });
    await page.getByRole('radio', { name: /Internal note: staff only/ }).check();
    await expectText(page.getByRole('button', { name: 'Add internal note' }), 'Add internal note');
    await page
      .getByLabel('Internal note (the customer never sees it)')
      .fill('Checked the logs: the identity provider is down.');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    const note = page.locator('.message[data-visibility=internal]');
    await expectText(note, 'Internal note: not visible to the customer');
    await expectText(note, 'Checked the logs');
    // An internal note does not stop the clock.
    expect(await page.locator('.target .badge-text').innerText()).not.toBe('Target met');

    await page.getByRole('radio', { name: /Public reply: sent to the customer/ }).check();
    await composer
      .getByLabel('Reply to the customer')
      .fill('We are on it: the identity provider is being restarted.');
    await page.getByRole('button', { name: 'Send public reply to customer' }).click();
    await expectText(
      page.locator('.message[data-visibility=public]').last(),
      'Public reply: the customer sees this',
    );
    await expectText(page.locator('.target .badge'), 'Target met');
    await page.locator('details summary', { hasText: 'Why this due time?' }).click();
    expect(await page.locator('.explanation li').count()).toBeGreaterThan(0);
    await screenshot(page, 'desk-ticket');
    const t = await api(admin).get(`/api/tickets/${ticketId}`);
    expect(t.targets[0].state).toBe('met');
  });

  it('the customer sees the reply, not the internal note, and that the target was met', async () => {
    const page = customer.page;
    await page.goto(`/portal/tickets/${ticketId}`);
    await expectText(
      page.getByRole('list', { name: 'Conversation' }),
      'We are on it: the identity provider is being restarted.',
    );
    expect(await page.getByText('Checked the logs').count()).toBe(0);
    expect(await page.getByText('Internal note').count()).toBe(0);
    await expectText(
      page.locator('dd', { hasText: 'target met' }),
      'Answered in time (target met)',
    );
    await page.getByLabel('Your reply').fill('Thank you, it works again.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expectText(
      page.getByRole('list', { name: 'Conversation' }),
      'Thank you, it works again.',
    );
    await screenshot(page, 'portal-ticket-answered');
  });

  it('a customer cannot open another organisation’s ticket by its address', async () => {
    const lars = await h.login('lars@nordisk.example');
    const theirs = await createTicket(h, lars, {
      subject: 'Nordisk private matter',
      description: 'confidential',
      severity: 2,
    });
    const page = customer.page;
    await page.goto(`/portal/tickets/${theirs.id}`);
    await expectText(page.getByRole('heading', { level: 1 }), 'Ticket not found');
    expect(await page.getByText('Nordisk private matter').count()).toBe(0);
    expect(await page.getByText('confidential').count()).toBe(0);
  });

  it('an OFFICIAL-SENSITIVE ticket: its content is shown to cleared staff only', async () => {
    const page = customer.page;
    await page.goto('/portal/new');
    await page.getByLabel('Subject').fill('Citizen records visible to the wrong team');
    await page.getByLabel('Description').fill('Record 4711 shows up in the wrong search.');
    await page.getByRole('radio', { name: /Severity 2/ }).check();
    await page.getByLabel(/involves OFFICIAL-SENSITIVE data/).check();
    await page.getByRole('button', { name: 'Raise ticket' }).click();
    await page.waitForURL(/\/portal\/tickets\//);
    const id = page.url().split('/').pop()!;
    // The customer sees their own ticket in full.
    await expectText(
      page.getByRole('heading', { level: 1 }),
      'Citizen records visible to the wrong team',
    );

    await agent.page.goto(`/desk/tickets/${id}`);
    await expectText(agent.page.getByRole('heading', { level: 1 }), 'Restricted ticket');
    await expectText(agent.page.getByRole('note'), 'involves OFFICIAL-SENSITIVE data');
    expect(await agent.page.getByText('Record 4711').count()).toBe(0);
    expect(await agent.page.getByText('Citizen records').count()).toBe(0);

    const cleared = await openViewer(browser, base);
    try {
      await signIn(cleared.page, 'agent3@helpdesk.local', DEMO_PASSWORD);
      await cleared.page.goto(`/desk/tickets/${id}`);
      await expectText(
        cleared.page.getByRole('heading', { level: 1 }),
        'Citizen records visible to the wrong team',
      );
      await expectText(
        cleared.page.getByRole('list', { name: 'Conversation' }),
        'Record 4711 shows up in the wrong search.',
      );
    } finally {
      await cleared.context.close();
    }
  });

  it('re-classifying shows the new due time before confirming, and keeps the change in the history', async () => {
    const token = await h.login('agent1@helpdesk.local');
    // The agent (in London) logs a phone call taken Tue 2024-03-12 10:15 (GMT), severity 1: due 11:15.
    const page = agent.page;
    await page.getByRole('link', { name: 'Log a call' }).click();
    await page.getByLabel("Caller's e-mail address").fill('alice@acme.example');
    await page.getByLabel('Time of the call (Europe/London)').fill('2024-03-12T10:15');
    await page.getByLabel('Subject').fill('Phone: exports fail');
    await page.getByLabel('What the caller said').fill('logged from a call');
    await page.getByLabel('Severity', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Log the call as a ticket' }).click();
    await page.waitForURL(/\/desk\/tickets\//);
    const call = { id: page.url().split('/').pop()! };
    expect(await api(token).get(`/api/tickets/${call.id}`)).toMatchObject({
      channel: 'phone',
      receivedAt: '2024-03-12T10:15:00.000Z',
      requesterEmail: 'alice@acme.example',
    });
    await expectText(page.locator('.target'), 'due Tue, 12 Mar 2024, 11:15 GMT');
    await expectText(page.locator('.target .badge'), 'Breached by');
    await page.getByLabel('Severity', { exact: true }).selectOption('3');
    // 8 business hours from Tue 10:15: 7 h 45 on Tuesday, 15 min on Wednesday.
    await expectText(
      page.getByTestId('reclassify-preview'),
      'First response would be due Wed, 13 Mar 2024, 09:15 GMT',
    );
    let t = await api(token).get(`/api/tickets/${call.id}`);
    expect(t.severity).toBe(1);
    await page.getByRole('button', { name: 'Confirm re-classification' }).click();
    await expectText(page.locator('.target'), 'due Wed, 13 Mar 2024, 09:15 GMT');
    t = await api(token).get(`/api/tickets/${call.id}`);
    expect(t.severity).toBe(3);
    expect(t.targets[0].dueAt).toBe('2024-03-13T09:15:00.000Z');

    // Both breaches (severity 1, then 3) raised the level by one each, as Standard support says.
    await expectText(page.locator('.facts'), 'Level 3');
    await expectText(
      page.getByRole('region', { name: 'History' }),
      'Support level 2 → 3 (reason: automatic: first_response target breached)',
    );
    await page.getByLabel('Move to').selectOption('1');
    await page.getByLabel('Reason').fill('Only a question about exports after all.');
    await page.getByRole('button', { name: 'De-escalate to level 1' }).click();
    await expectText(page.locator('.facts'), 'Level 1');
    await expectText(
      page.getByRole('region', { name: 'History' }),
      'Support level 3 → 1 (reason: Only a question about exports after all.)',
    );
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expectText(page.locator('.facts'), 'Anna Level-One (you)');
    await screenshot(page, 'desk-ticket-reclassified');
  });

  it('alarms appear in the agent workspace without reloading, and the badge says by how much a target was breached', async () => {
    const fast = await fastCustomer(h, admin, 'fastweb', [6, 600, 900]);
    const page = agent.page;
    await page.goto('/desk');
    // Live from the server-sent events of GET /api/alarms/stream, not from polling.
    await page
      .locator('.alarm-ticker[data-mode="stream"]')
      .waitFor({ state: 'attached', timeout: 10_000 });
    const token = await h.login(fast.email);
    const t = await createTicket(h, token, {
      subject: 'Everything is down (fast policy)',
      description: '24×7 policy with a 6 s target',
      severity: 1,
    });
    const alarm = page.locator('.alarm-ticker .alarm-breach', {
      has: page.locator(`a[data-ticket-id="${t.id}"]`),
    });
    await alarm.waitFor({ timeout: 30_000 });
    await expectText(alarm, `Breach: ${t.reference}: Everything is down (fast policy)`);
    await page.getByRole('link', { name: 'Breaching soon' }).click();
    const row = page.locator('.queue-row', { hasText: t.reference });
    await expectText(row.locator('.badge'), 'Breached by');
    expect(await row.locator('.badge').getAttribute('data-tone')).toBe('breached');
    await screenshot(page, 'desk-queue-alarm');
    await page.getByRole('link', { name: 'Alarms' }).click();
    await expectText(page.getByRole('table'), 'Breach');
    await expectText(page.getByRole('table'), 'Warning');
    await screenshot(page, 'desk-alarms');
  });

  it('a customer raises a ticket with a file, the agent replies with another; both download from the ticket page', async () => {
    const page = customer.page;
    await page.goto('/portal/new');
    await page.getByLabel('Subject').fill('Export fails with a stack trace');
    await page.getByLabel('Description').fill('The log is attached.');
    await page.getByRole('radio', { name: /Severity 2/ }).check();
    await page.getByLabel('Attach files').setInputFiles([
      {
        name: 'export-error.log',
        mimeType: 'text/plain',
        buffer: Buffer.from('java.lang.NullPointerException at Export.run\n'),
      },
    ]);
    await expectText(page.locator('#raise-files-hint'), 'export-error.log');
    await page.getByRole('button', { name: 'Raise ticket' }).click();
    await page.waitForURL(/\/portal\/tickets\//);
    const id = page.url().split('/').pop()!;
    const files = page.getByRole('region', { name: 'Attachments' });
    await expectText(files, 'export-error.log');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      files.getByRole('link', { name: 'export-error.log' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('export-error.log');

    const desk = agent.page;
    await desk.goto(`/desk/tickets/${id}`);
    await expectText(desk.getByRole('region', { name: 'Attachments' }), 'export-error.log');
    await desk
      .getByRole('textbox', { name: 'Reply to the customer' })
      .fill('Here is the fixed export template.');
    await desk
      .getByLabel('Attach files')
      .setInputFiles([
        { name: 'template.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') },
      ]);
    await desk.getByRole('button', { name: 'Send public reply to customer' }).click();
    await expectText(desk.getByRole('region', { name: 'Attachments' }), 'template.csv');
    await page.reload();
    await expectText(files, 'template.csv');
    await screenshot(page, 'portal-ticket-attachments');
  });

  it('every queue comes from the API in due order, a page at a time (no loading of thousands of rows to sort)', async () => {
    const page = agent.page;
    const asked: URL[] = [];
    const onRequest = (r: { url(): string }) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/tickets') asked.push(url);
    };
    page.on('request', onRequest);
    try {
      await page.goto('/desk?view=unassigned');
      const first = page.locator('.queue-row').first();
      await first.waitFor();
      const expected = (await api(admin).get('/api/tickets?view=unassigned&sort=due&limit=1'))
        .items[0];
      await expectText(first, expected.reference);
      await Promise.all([
        page.waitForRequest((r) => new URL(r.url()).searchParams.get('view') === 'mine'),
        page.getByRole('link', { name: 'Mine' }).click(),
      ]);
    } finally {
      page.off('request', onRequest);
    }
    expect(asked.length).toBeGreaterThanOrEqual(2);
    for (const url of asked) {
      expect(url.searchParams.get('sort')).toBe('due');
      expect(Number(url.searchParams.get('limit'))).toBeLessThanOrEqual(100);
    }
    expect(asked.length).toBeLessThan(5);
  });

  it('is readable on a phone: no sideways scrolling in the queue, the portal or the ticket page', async () => {
    const phone = await openViewer(browser, base, { phone: true, timezoneId: 'Europe/Copenhagen' });
    try {
      await signIn(phone.page, 'alice@acme.example', DEMO_PASSWORD);
      await noSidewaysScroll(phone.page);
      await screenshot(phone.page, 'phone-portal');
      await phone.page.goto(`/portal/tickets/${ticketId}`);
      await expectText(phone.page.getByRole('heading', { level: 1 }), reference);
      await noSidewaysScroll(phone.page);
      const staff = await openViewer(browser, base, { phone: true });
      await signIn(staff.page, 'agent1@helpdesk.local', DEMO_PASSWORD);
      await staff.page.locator('.queue-row').first().waitFor();
      await noSidewaysScroll(staff.page);
      await screenshot(staff.page, 'phone-desk-queue');
      await staff.context.close();
    } finally {
      await phone.context.close();
    }
  });

  it('can be used with the keyboard alone: sign in and reach a ticket', async () => {
    const kb = await openViewer(browser, base);
    try {
      const page = kb.page;
      await page.goto('/login');
      // The e-mail field has the focus when the page appears.
      await page.getByLabel('E-mail address').waitFor();
      expect(await page.evaluate('document.activeElement?.getAttribute("type")')).toBe('email');
      await page.keyboard.type('agent1@helpdesk.local');
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/desk/);
      await page.locator('.queue-row').first().waitFor();
      // Tab through the page until a ticket link has the focus, then open it with Enter.
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate("document.activeElement?.classList.contains('row-link')")) break;
      }
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/desk\/tickets\//);
      await expectText(page.getByRole('heading', { level: 1 }), 'HD-');
    } finally {
      await kb.context.close();
    }
  });
});

async function noSidewaysScroll(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  const { scroll, width } = await page.evaluate<{ scroll: number; width: number }>(
    '({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })',
  );
  expect(scroll).toBeLessThanOrEqual(width);
}
