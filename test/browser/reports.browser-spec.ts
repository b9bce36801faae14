// The Reports page in a real Chromium against the real API, with the seeded 2026-Q3 history: a
// manager reads a full quarter (tiles, charts, tables), downloads its PDF and CSV and issues a
// revision; a customer admin reads their own organisation's report and not another's.
import { seedReportHistory } from '@app/database';
import type { Browser, Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { formatAvailability, formatPercent } from '../../libs/reports/src/render/figures';
import { ADMIN, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  screenshot,
  signIn,
  WEB_DIST,
} from './support/browser';

jest.setTimeout(180_000);

const QUARTER = '2026-Q3';

describe('the Reports page', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let orgs: { id: string; name: string }[];
  let manager: string;
  const orgId = (name: string) => orgs.find((o) => o.name === name)!.id;
  const report = async (name: string) =>
    (
      await h.http
        .get('/api/reports/quarterly')
        .query({ organizationId: orgId(name), quarter: QUARTER })
        .set('Authorization', `Bearer ${manager}`)
        .expect(200)
    ).body;

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: false, env: { WEB_DIST } });
    const ds = new DataSource({ type: 'postgres', url: h.db.url });
    await ds.initialize();
    await seedReportHistory(ds);
    await ds.destroy();
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    manager = await h.login('manager@helpdesk.local');
    const admin = await h.login(ADMIN.email);
    orgs = (
      await h.http
        .get('/api/admin/organizations')
        .set('Authorization', `Bearer ${admin}`)
        .expect(200)
    ).body;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function openReports(page: Page, email: string): Promise<void> {
    await signIn(page, email, DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Quarterly reports' }).waitFor();
    await page.getByLabel('Quarter').selectOption(QUARTER);
  }

  it('a manager reads a full quarter, downloads its PDF and CSV, and issues a revision', async () => {
    const { page } = await openViewer(browser, base, { timezoneId: 'Europe/Copenhagen' });
    await openReports(page, 'manager@helpdesk.local');
    await page.getByLabel('Organisation').selectOption({ label: 'Acme Ltd' });
    const json = await report('Acme Ltd');
    await expectText(
      page.getByRole('heading', { level: 2 }).first(),
      `Quarterly report ${QUARTER}: Acme Ltd`,
    );

    // Tiles against their targets, coloured by how the figure stands.
    const tiles = page.getByRole('list', { name: 'Figures against their targets' });
    const overall = tiles
      .getByRole('listitem')
      .filter({ hasText: 'First response, all severities' });
    await expectText(overall, formatPercent(json.firstResponse.overall.attainment));
    await expectText(
      overall,
      `${json.firstResponse.overall.met} met, ${json.firstResponse.overall.breached} breached`,
    );
    const august = tiles.getByRole('listitem').filter({ hasText: 'Availability Aug 2026' });
    await expectText(august, formatAvailability(json.availability[1].availability));
    await expectText(august, 'goal 99.50%');
    expect(await august.getAttribute('data-rag')).toBe('green');
    expect(json.availability[1].downtimeMinutes).toBe(95);
    await expectText(august, '95 min (1 h 35 min) down, budget left 128.2 min (2 h 08 min)');

    // The four charts, each with its figures as a text alternative.
    const charts = page.locator('canvas[role="img"]');
    await hasCount(charts, 4);
    expect(await charts.nth(0).getAttribute('aria-label')).toContain(
      'Met and breached first responses per severity',
    );
    expect(await charts.nth(2).getAttribute('aria-label')).toContain(
      `E-mail ${json.activity.created.byChannel.email}, Web ${json.activity.created.byChannel.web}, Phone ${json.activity.created.byChannel.phone}, Chat ${json.activity.created.byChannel.chat}, API ${json.activity.created.byChannel.api}`,
    );

    // The tables carry the JSON's figures; the incident is listed with its restoration.
    const activity = page.getByRole('region', { name: 'Activity [2]' });
    await expectText(activity, `Tickets created ${json.activity.created.total}`);
    await expectText(activity, `Tickets resolved ${json.activity.resolved}`);
    const incidents = page.getByRole('region', { name: 'Incidents [5]' });
    await expectText(
      incidents,
      `${json.incidents[0].reference} 1 2026-08-12 10:05 +00:00 2026-08-12 11:40 +00:00 95 min (1 h 35 min)`,
    );
    await expectText(
      page.getByRole('region', { name: 'Definitions' }),
      'A first-response target is decided at the earlier',
    );
    await screenshot(page, 'reports');

    // The draft PDF downloads with the session.
    const draftHref = await page
      .getByRole('link', { name: 'PDF of the live figures (draft)' })
      .getAttribute('href');
    const draft = await page.request.get(draftHref!);
    expect(draft.status()).toBe(200);
    expect(draft.headers()['content-type']).toContain('application/pdf');
    expect((await draft.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Issue a revision: it is listed with its PDF and CSV files.
    await page.getByRole('button', { name: 'Issue a revision' }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'Issued revision' }),
      'Issued revision 1',
    );
    const revisions = page.getByRole('list', { name: 'Issued revisions' });
    await expectText(revisions, 'Revision 1, issued');
    const pdf = await page.request.get(
      (await revisions.getByRole('link', { name: 'PDF' }).getAttribute('href'))!,
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-disposition']).toContain(`Acme-Ltd-${QUARTER}-r1.pdf`);
    const csv = await page.request.get(
      (await revisions.getByRole('link', { name: 'CSV files (zip)' }).getAttribute('href'))!,
    );
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('application/zip');
    await page.context().close();
  });

  it('a customer admin reads their own organisation and cannot read another', async () => {
    const { page } = await openViewer(browser, base);
    await openReports(page, 'carol@acme.example');
    const picker = page.getByLabel('Organisation');
    expect(await picker.locator('option').allInnerTexts()).toEqual(['Acme Ltd']);
    await expectText(
      page.getByRole('heading', { level: 2 }).first(),
      `Quarterly report ${QUARTER}: Acme Ltd`,
    );
    const json = await report('Acme Ltd');
    await expectText(
      page
        .getByRole('list', { name: 'Figures against their targets' })
        .getByRole('listitem')
        .first(),
      formatPercent(json.firstResponse.overall.attainment),
    );
    await hasCount(page.getByRole('button', { name: 'Issue a revision' }), 0);

    // Another organisation's report, by address: refused on the page, and its files are not found.
    const nordisk = orgId('Nordisk Kommune');
    await page.goto(`/reports?organizationId=${nordisk}&quarter=${QUARTER}`);
    await expectText(page.getByRole('alert'), 'that you may read');
    await hasCount(page.getByRole('list', { name: 'Figures against their targets' }), 0);
    const draft = await page.request.get(
      `/api/reports/quarterly.pdf?organizationId=${nordisk}&quarter=${QUARTER}`,
    );
    expect(draft.status()).toBe(404);
    const issued = (
      await h.http
        .post('/api/reports/quarterly/issue')
        .set('Authorization', `Bearer ${manager}`)
        .send({ organizationId: nordisk, quarter: QUARTER })
        .expect(201)
    ).body;
    expect((await page.request.get(`/api/reports/${issued.id}.pdf`)).status()).toBe(404);
    expect((await page.request.get(`/api/reports/${issued.id}`)).status()).toBe(404);
    await page.context().close();
  });
});

describe('the Reports page for an admin', () => {
  let h: Harness;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: false, env: { WEB_DIST } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows how each quarterly report was mailed, a failure with its error', async () => {
    await h.pg.query(
      `INSERT INTO report_deliveries (organization_id, quarter, due_at, status, attempts, last_error)
       SELECT id, '2026-Q3', '2026-10-01T09:00:00Z', 'failed', 3, 'mail: 550 mailbox unavailable' FROM organizations WHERE name = 'Acme Ltd'`,
    );
    const base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    const { page } = await openViewer(browser, base);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/reports?quarter=${QUARTER}`);
    await page.getByLabel('Organisation').selectOption({ label: 'Acme Ltd' });
    const deliveries = page.getByRole('region', { name: 'Deliveries by mail' });
    await expectText(deliveries, `${QUARTER} failed`);
    await expectText(deliveries, 'mail: 550 mailbox unavailable');
    await page.getByLabel('Organisation').selectOption({ label: 'Nordisk Kommune' });
    await expectText(deliveries, 'No quarterly delivery yet');
    await page.context().close();
  });
});

/** Waits (up to 15 s) until `locator` matches exactly `n` elements. */
async function hasCount(locator: Locator, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  let seen = await locator.count();
  while (seen !== n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await locator.count();
  }
  expect(seen).toBe(n);
}
