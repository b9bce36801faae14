// The desk shows every target of a ticket, each round with its due time and whether it is met,
// breached or paused; pauses are on the timeline; a customer files a data-protection request.
import type { Browser, Page } from 'playwright-core';
import { createTicket, customerOn, Harness, startHarness } from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  signIn,
  WEB_DIST,
} from './support/browser';

jest.setTimeout(120_000);

const ALL: [string, string][] = [['00:00', '24:00']];
const POLICY = {
  name: 'Every clock',
  calendar: {
    timeZone: 'UTC',
    week: { mon: ALL, tue: ALL, wed: ALL, thu: ALL, fri: ALL, sat: ALL, sun: ALL },
  },
  targets: Object.fromEntries(
    ['1', '2', '3'].map((s) => [
      s,
      [
        { metric: 'first_response', seconds: 3600 },
        { metric: 'next_response', seconds: 3600, warning: { beforeSeconds: 600 } },
        { metric: 'periodic_update', seconds: 7200 },
        { metric: 'resolution', seconds: 4 * 3600 },
      ],
    ]),
  ),
  alarms: { warningFraction: 0.75 },
  escalateOnBreach: false,
};

describe('targets on the desk', () => {
  let h: Harness;
  let browser: Browser;
  let desk: Page;
  let agent: string;
  let customer: { email: string; token: string };
  let base: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: false, env: { WEB_DIST } });
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    const admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
    const c = await customerOn(h, admin, 'desk-clocks', POLICY);
    customer = { email: c.email, token: await h.login(c.email) };
    browser = await launch();
    desk = (await openViewer(browser, base)).page;
    await signIn(desk, 'agent1@helpdesk.local', 'demo-password');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('each round of each target with its state; a pending ticket’s clocks paused, on the timeline', async () => {
    const t = await createTicket(h, customer.token, {
      subject: 'Reports are slow',
      description: 'x',
      severity: 2,
    });
    const say = (token: string, body: string) =>
      h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth(token))
        .send({ body, visibility: 'public' })
        .expect(201);
    await say(agent, 'Which report?');
    await say(customer.token, 'The monthly one');
    await h.http
      .patch(`/api/tickets/${t.id}`)
      .set(auth(agent))
      .send({ status: 'pending' })
      .expect(200);

    await desk.goto(`/desk/tickets/${t.id}`);
    const target = (metric: string, round = 1) =>
      desk.locator(`.target[data-metric="${metric}"][data-round="${round}"]`);
    await expectText(target('first_response'), 'First response: met');
    await expectText(target('first_response').locator('.badge'), 'Target met');
    await expectText(target('periodic_update'), 'Periodic update (round 1): met');
    await expectText(target('periodic_update', 2), 'Periodic update (round 2): paused');
    await expectText(target('next_response'), 'Next response: paused · paused since');
    // Paused a moment after the customer's message: all but a few seconds of the hour left.
    expect((await target('next_response').innerText()).replace(/\s+/g, ' ')).toMatch(
      /paused since [^,]+, [^,]+, [^,]+, 59m \d\ds left/,
    );
    await expectText(target('resolution').locator('.badge'), 'Paused: waiting on the customer');
    expect(await target('resolution').getAttribute('data-state')).toBe('paused');
    await expectText(
      desk.getByRole('region', { name: 'History' }),
      'waiting on the customer: next response, periodic update, resolution paused',
    );
  });

  it('a customer files a request about their personal data: a data-protection request with a month to resolve', async () => {
    const viewer = await openViewer(browser, base);
    const page = viewer.page;
    await signIn(page, customer.email, 'demo-password');
    await page.goto('/portal/new');
    await page.getByLabel('Subject').fill('A copy of my data');
    await page.getByLabel('Description').fill('Everything you hold about me, please.');
    await page.getByRole('radio', { name: /Severity 3/ }).check();
    await page.getByLabel(/request about my personal data/).check();
    await page.getByRole('button', { name: 'Raise ticket' }).click();
    await page.waitForURL(/\/portal\/tickets\//);
    const id = page.url().split('/').pop()!;
    const t = (await h.http.get(`/api/tickets/${id}`).set(auth(agent)).expect(200)).body;
    expect(t.kind).toBe('data_protection_request');
    await desk.goto(`/desk/tickets/${id}`);
    await expectText(desk.locator('.facts'), 'Data-protection request (resolved within one month)');
    await expectText(
      desk.locator('.target[data-metric="resolution"]'),
      'Resolution: running · calendar time · due',
    );
    await viewer.context.close();
  });
});
