import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CALENDAR } from '@app/business-hours';
import { quarterDue } from '../../libs/reports/src/delivery/schedule';
import { ADMIN, Harness, startHarness } from '../support/harness';
import type { CapturedMail } from '../support/smtp-sink';
import { waitFor } from '../support/wait';

/** The quarter whose report is due now (the demo policies' calendars agree but for hours after New Year). */
const QUARTER = quarterDue(DEFAULT_CALENDAR, Date.now()).quarter;
const reportMails = (h: Harness) =>
  h.smtp.mails.filter((m) => m.subject.startsWith(`Quarterly report ${QUARTER}:`));

interface Delivery {
  organizationName: string;
  quarter: string;
  status: string;
  attempts: number;
  lastError: string | null;
  recipients: string[];
  revision: number | null;
  reportId: string | null;
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'delivered-'));
  writeFileSync(join(dir, 'r.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], {
    encoding: 'utf8',
  }).replace(/[ \t]+/g, ' ');
}

describe('quarterly report delivery by the worker', () => {
  let h: Harness;
  let admin: string;
  const deliveries = async (): Promise<Delivery[]> =>
    (
      await h.http
        .get('/api/reports/deliveries')
        .set('Authorization', `Bearer ${admin}`)
        .expect(200)
    ).body;

  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      env: { REPORT_DELIVERY: 'true', RECONCILE_INTERVAL_MS: '1000', MAIL_ATTEMPTS: '2' },
    });
    admin = await h.login(ADMIN.email);
    // An organisation with no tickets at all, with a principal contact.
    const auth = { Authorization: `Bearer ${admin}` };
    const policies = (await h.http.get('/api/admin/policies').set(auth).expect(200)).body;
    const org = (
      await h.http
        .post('/api/admin/organizations')
        .set(auth)
        .send({ name: 'Quiet Co', policyId: policies[0].id, emailDomains: ['quiet.example'] })
        .expect(201)
    ).body;
    const contact = (
      await h.http
        .post('/api/admin/users')
        .set(auth)
        .send({
          email: 'boss@quiet.example',
          name: 'Quiet boss',
          role: 'customer_admin',
          organizationId: org.id,
          password: 'quiet-password-1',
        })
        .expect(201)
    ).body;
    await h.http
      .patch(`/api/admin/organizations/${org.id}`)
      .set(auth)
      .send({ principalUserId: contact.id })
      .expect(200);
  });
  afterAll(() => h?.close());

  it('issues and mails every organisation its report with the PDF once, with two workers, a failed mail retried, and a restart', async () => {
    // Acme's first mail is refused as often as the mail queue tries it (MAIL_ATTEMPTS = 2): it fails for good.
    h.smtp.refuse((m) => m.subject === `Quarterly report ${QUARTER}: Acme Ltd`, 2);
    await Promise.all([h.startWorker(), h.startWorker()]);

    // The failure is shown to admins, with the SMTP server's answer.
    const failed = await waitFor(
      async () =>
        (await deliveries()).find(
          (d) => d.organizationName === 'Acme Ltd' && d.status === 'failed',
        ),
      { timeoutMs: 30_000, intervalMs: 100, what: "Acme's delivery to show its failed mail" },
    );
    expect(failed.lastError).toMatch(/451|try again later/);

    // Then it is retried with a new mail, and every organisation's report is sent.
    const all = await waitFor(
      async () => {
        const list = await deliveries();
        return list.length === 3 && list.every((d) => d.status === 'sent') && list;
      },
      { timeoutMs: 60_000, what: 'every delivery to be sent' },
    );
    expect(all.map((d) => [d.organizationName, d.quarter, d.revision]).sort()).toEqual(
      [
        ['Acme Ltd', QUARTER, 1],
        ['Nordisk Kommune', QUARTER, 1],
        ['Quiet Co', QUARTER, 1],
      ].sort(),
    );
    expect(all.find((d) => d.organizationName === 'Acme Ltd')!.attempts).toBe(2);
    expect(all.find((d) => d.organizationName === 'Acme Ltd')!.recipients).toEqual([
      'carol@acme.example',
      'manager@helpdesk.local',
    ]);
    expect(all.find((d) => d.organizationName === 'Quiet Co')!.recipients).toEqual([
      'boss@quiet.example',
      'manager@helpdesk.local',
    ]);

    const mails = reportMails(h);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      `Quarterly report ${QUARTER}: Acme Ltd`,
      `Quarterly report ${QUARTER}: Nordisk Kommune`,
      `Quarterly report ${QUARTER}: Quiet Co`,
    ]);
    const quiet = mails.find((m) => m.subject.endsWith('Quiet Co')) as CapturedMail;
    expect(quiet.to.sort()).toEqual(['boss@quiet.example', 'manager@helpdesk.local']);
    expect(quiet.text).toContain(`/reports?organizationId=`);
    const [pdf] = quiet.parsed.attachments;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toBe(`Quiet-Co-${QUARTER}-r1.pdf`);
    const text = pdfText(pdf.content);
    // An organisation with no tickets gets its report all the same: nothing created, nothing decided.
    expect(text).toContain(`Quarterly report ${QUARTER}: Quiet Co`);
    expect(text).toContain('Revision 1, issued');
    expect(text).toMatch(/Tickets created 0/);
    expect(text).toMatch(/All 0 0 0 n\/a/);

    // The issued revision is the one mailed: its PDF from the API is the same report.
    const issued = all.find((d) => d.organizationName === 'Quiet Co')!;
    const fromApi = await h.http
      .get(`/api/reports/${issued.reportId}.pdf`)
      .set('Authorization', `Bearer ${admin}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdfText(fromApi.body as Buffer)).toContain('Revision 1, issued');

    // A restart changes nothing: no second report, no second mail.
    for (const w of h.workers.splice(0)) await w.close();
    await h.startWorker();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(reportMails(h)).toHaveLength(3);
    const after = await deliveries();
    expect(after.map((d) => [d.organizationName, d.status, d.revision]).sort()).toEqual(
      all.map((d) => [d.organizationName, d.status, d.revision]).sort(),
    );
    const { rows } = await h.pg.query(`SELECT count(*)::int AS n FROM report_deliveries`);
    expect(rows[0].n).toBe(3);
  });

  it('shows the deliveries to admins only', async () => {
    const manager = await h.login('manager@helpdesk.local');
    await h.http
      .get('/api/reports/deliveries')
      .set('Authorization', `Bearer ${manager}`)
      .expect(403);
    const customer = await h.login('carol@acme.example');
    await h.http
      .get('/api/reports/deliveries')
      .set('Authorization', `Bearer ${customer}`)
      .expect(403);
  });
});
