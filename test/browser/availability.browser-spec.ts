// Incidents and planned maintenance in a real Chromium against the real API: an agent records
// "service restored at" on a Severity 1 ticket (in their own zone) and sees it in the history; an
// admin records a maintenance window on the Availability page and corrects its end with a reason.
import type { Browser, Page } from 'playwright-core';
import { ADMIN, createTicket, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import {
  ensureWebBuild,
  expectText,
  launch,
  openViewer,
  signIn,
  WEB_DIST,
} from './support/browser';

jest.setTimeout(120_000);

/** An instant as the wall-clock text a datetime-local input holds in `zone` ("2026-12-03T11:20"). */
function wallClock(ms: number, zone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The zone a field's label names: "Service restored at (Europe/Copenhagen)". */
async function zoneOfLabel(page: Page, label: RegExp): Promise<string> {
  const text = await page.locator('label', { hasText: label }).first().innerText();
  return /\(([^)]+)\)\s*$/.exec(text)![1];
}

describe('availability: incidents and maintenance windows', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;

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

  it('an agent records service restored on a Severity 1 ticket and sees it in the history', async () => {
    const agentToken = await h.login('agent1@helpdesk.local');
    const received = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
    const ticket = await createTicket(h, agentToken, {
      requesterEmail: 'alice@acme.example',
      subject: 'The whole service is down',
      description: 'Nobody can sign in.',
      severity: 1,
      channel: 'phone',
      receivedAt: new Date(received).toISOString(),
    });
    const { page } = await openViewer(browser, base, { timezoneId: 'Europe/Copenhagen' });
    await signIn(page, 'agent1@helpdesk.local', DEMO_PASSWORD);
    await page.goto(`/desk/tickets/${ticket.id}`);
    const incident = page.getByRole('form', { name: 'Incident' });
    await expectText(incident.getByTestId('incident'), 'Not yet');
    const zone = await zoneOfLabel(page, /Service restored at/);
    const restored = received + 90 * 60_000;
    await incident.getByLabel(/Service restored at/).fill(wallClock(restored, zone));
    await incident.getByRole('button', { name: 'Record service restored' }).click();
    await expectText(incident.getByTestId('incident'), '1h 30m');

    const [row] = (
      await h.pg.query(`SELECT restored_at FROM outages WHERE ticket_id = $1`, [ticket.id])
    ).rows;
    expect(new Date(row.restored_at).toISOString()).toBe(new Date(restored).toISOString());
    const history = page.getByRole('region', { name: 'History' });
    await expectText(history, 'Service restored at');
    const shown = history.locator(`time[datetime="${new Date(restored).toISOString()}"]`);
    expect(await shown.count()).toBe(1);
  });

  it('an admin records a maintenance window, corrects its end with a reason and sees it listed', async () => {
    const { page } = await openViewer(browser, base, { timezoneId: 'Europe/Copenhagen' });
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Availability' }).click();
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Acme Ltd' });
    const form = page.getByRole('form', { name: 'Record a maintenance window' });
    const zone = await zoneOfLabel(page, /Window start/);
    const start = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
    const end = start + 60 * 60_000;
    await form.getByLabel(/Window start/).fill(wallClock(start, zone));
    await form.getByLabel(/Window end/).fill(wallClock(end, zone));
    await form.getByLabel(/Announced at/).fill(wallClock(start - 10 * 86_400_000, zone));
    await form.getByLabel('Maintenance summary').fill('Database upgrade');
    await form.getByRole('button', { name: 'Record maintenance window' }).click();

    const table = page.getByRole('table', { name: 'Maintenance windows' });
    const row = table.getByRole('row', { name: /Database upgrade/ });
    await expectText(row, 'As announced');
    const reference = (await row.getByRole('rowheader').innerText()).trim();
    expect(reference).toMatch(/^MW-\d{4}$/);
    expect(await row.locator(`time[datetime="${new Date(start).toISOString()}"]`).count()).toBe(1);

    await row.getByRole('button', { name: `Correct ${reference}` }).click();
    const correct = row.getByRole('form', { name: `Correct ${reference}` });
    await correct.getByLabel('End to correct').selectOption({ label: 'Work ended' });
    const overran = end + 30 * 60_000;
    await correct.getByLabel(/Corrected time/).fill(wallClock(overran, zone));
    await correct.getByRole('button', { name: 'Save correction' }).click();
    await expectText(correct, 'Give a reason for the correction');
    await correct.getByLabel('Reason for the correction').fill('The upgrade overran');
    await correct.getByRole('button', { name: 'Save correction' }).click();
    await expectText(row, 'reason: The upgrade overran');
    expect(await row.locator(`time[datetime="${new Date(overran).toISOString()}"]`).count()).toBe(
      2,
    );
    await expectText(row.getByTestId('maintenance-verdict'), 'Counts as downtime');

    const [c] = (
      await h.pg.query(
        `SELECT field, new_value, reason FROM availability_corrections WHERE reason = $1`,
        ['The upgrade overran'],
      )
    ).rows;
    expect({ ...c, new_value: new Date(c.new_value).toISOString() }).toEqual({
      field: 'actualEnd',
      new_value: new Date(overran).toISOString(),
      reason: 'The upgrade overran',
    });
  });
});
