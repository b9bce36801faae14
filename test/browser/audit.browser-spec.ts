// Audit, personal data and contract end in a real Chromium against the real API: "Seen by" on the desk
// ticket page, the audit search, a person's anonymisation, a contract end date and its deletion date.
import type { Browser, Page } from 'playwright-core';
import { ADMIN, createTicket, Harness, startHarness } from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  signIn,
  WEB_DIST,
} from './support/browser';

jest.setTimeout(120_000);

describe('audit and personal data pages', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let ticket: { id: string; reference: string };
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    ensureWebBuild();
    h = await startHarness({ worker: false, env: { WEB_DIST } });
    const base = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    const alice = await h.login('alice@acme.example');
    ticket = await createTicket(h, alice, {
      subject: 'Seen by whom?',
      description: 'A ticket the agents open.',
      severity: 3,
    });
    const agent = await h.login('agent2@helpdesk.local');
    await h.http.get(`/api/tickets/${ticket.id}`).set(auth(agent)).expect(200);
    browser = await launch();
    page = (await openViewer(browser, base)).page;
    await signIn(page, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows who has seen a ticket on its desk page', async () => {
    const [agent2] = (
      await h.pg.query(`SELECT name FROM users WHERE email = 'agent2@helpdesk.local'`)
    ).rows;
    await page.goto(`/desk/tickets/${ticket.id}`);
    await expectText(page.getByRole('region', { name: 'Seen by' }), agent2.name);
  });

  it('finds the read in the audit search', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Action').fill('ticket.read');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectText(page.getByRole('table', { name: 'Audit entries' }), ticket.reference);
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expectText(page.getByRole('status'), 'The chain holds');
  });

  it('anonymises a person once their e-mail is typed again', async () => {
    const [acme] = (await h.pg.query(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`)).rows;
    const admin = await h.login(ADMIN.email);
    await h.http
      .post('/api/admin/users')
      .set(auth(admin))
      .send({
        email: 'gone@acme.example',
        name: 'Gwendolyn Gone',
        role: 'customer',
        organizationId: acme.id,
        password: 'demo-password',
      })
      .expect(201);
    await page.getByRole('link', { name: 'Personal data' }).click();
    await page
      .getByLabel('Person')
      .selectOption({ label: 'Gwendolyn Gone — gone@acme.example (customer)' });
    const button = page.getByRole('button', { name: 'Anonymise Gwendolyn Gone' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel('Type their e-mail address to confirm').fill('gone@acme.example');
    await button.click();
    await expectText(page.getByRole('status'), 'Anonymised');
    const [row] = (
      await h.pg.query(
        `SELECT name, active FROM users WHERE id IN (SELECT id FROM users WHERE email LIKE 'anonymised-%')`,
      )
    ).rows;
    expect(row).toEqual({ name: 'Anonymised person', active: false });
  });

  it('sets a contract end and shows when the deletion starts', async () => {
    await page.getByRole('link', { name: 'Contracts' }).click();
    const day = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const deletion = new Date(Date.now() + 70 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Contract end of Nordisk Kommune').fill(day);
    const row = page.getByRole('row', { name: /Nordisk/ });
    await row.getByRole('button', { name: 'Save' }).click();
    await expectText(row, deletion);
  });
});
