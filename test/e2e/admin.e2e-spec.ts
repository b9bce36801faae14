// The admin API (organisations, users, policies, calendars, GOV.UK import), the web app served by
// the api, and the service methods the mail channel uses.
jest.setTimeout(90_000);
import { TicketsService } from '@app/tickets';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Harness, startHarness } from '../support/harness';

const GOV_UK = {
  'england-and-wales': {
    division: 'england-and-wales',
    events: [
      { title: 'Boxing Day', date: '2026-12-28', notes: 'Substitute day', bunting: true },
      { title: 'Christmas Day', date: '2026-12-25', notes: '', bunting: true },
    ],
  },
  scotland: {
    division: 'scotland',
    events: [{ title: '2nd January', date: '2027-01-04', notes: 'Substitute day', bunting: true }],
  },
};

describe('admin API', () => {
  let h: Harness;
  let admin: string;
  let agent: string;
  let web: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'hd-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(
      join(web, 'index.html'),
      '<!doctype html><title>Helpdesk</title><div id="root"></div>',
    );
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log("app")');
    h = await startHarness({ worker: false, env: { WEB_DIST: web } });
    admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
  });
  afterAll(() => h.close());

  it('only admins change organisations, users and policies', async () => {
    await h.http
      .post('/api/admin/organizations')
      .set(auth(agent))
      .send({ name: 'X', policyId: '00000000-0000-4000-8000-000000000000' })
      .expect(403);
    await h.http
      .post('/api/admin/users')
      .set(auth(agent))
      .send({ email: 'x@x.example', name: 'X', role: 'admin' })
      .expect(403);
  });

  it('creates a calendar, imports GOV.UK bank holidays into it, and builds a policy on it', async () => {
    const bad = await h.http
      .post('/api/admin/calendars')
      .set(auth(admin))
      .send({ name: 'Broken', document: { timeZone: 'Mars/Olympus', week: {} } })
      .expect(400);
    expect(bad.body.message).toMatch(/Calendar: .*time ?zone|timeZone/i);
    const all: [string, string][] = [['09:00', '17:00']];
    const cal = await h.http
      .post('/api/admin/calendars')
      .set(auth(admin))
      .send({
        name: 'London office',
        document: {
          timeZone: 'Europe/London',
          week: { mon: all, tue: all, wed: all, thu: all, fri: all },
        },
      })
      .expect(201);
    const imported = await h.http
      .post(`/api/admin/calendars/${cal.body.id}/bank-holidays`)
      .set(auth(admin))
      .send({ json: GOV_UK, division: 'england-and-wales' })
      .expect(201);
    expect(imported.body.added).toBe(2);
    expect(imported.body.document.holidays).toEqual(['2026-12-25', '2026-12-28']);
    const wrongDivision = await h.http
      .post(`/api/admin/calendars/${cal.body.id}/bank-holidays`)
      .set(auth(admin))
      .send({ json: GOV_UK, division: 'wales' })
      .expect(400);
    expect(wrongDivision.body.message).toMatch(/No division "wales"/);
    await h.http
      .post(`/api/admin/calendars/${cal.body.id}/bank-holidays`)
      .set(auth(admin))
      .send({ json: { nonsense: 1 } })
      .expect(400);

    const policy = await h.http
      .post('/api/admin/policies')
      .set(auth(admin))
      .send({
        calendarId: cal.body.id,
        document: {
          name: 'London clock',
          targets: { '1': [{ metric: 'first_response', seconds: 3600, clock: 'business' }] },
          alarms: { warningFraction: 0.75 },
          escalateOnBreach: true,
        },
      })
      .expect(201);
    expect(policy.body.document.calendar.timeZone).toBe('Europe/London');
    // Thu 2026-12-24 16:30 London (= UTC in winter) + 1 business hour: 30 min that day, then Tue 29th (25th, 28th holidays, weekend).
    const preview = await h.http
      .post('/api/sla/preview')
      .set(auth(agent))
      .send({ receivedAt: '2026-12-24T16:30:00Z', severity: 1, policyId: policy.body.id })
      .expect(200);
    expect(preview.body.targets[0].dueAt).toBe('2026-12-29T09:30:00.000Z');
    const badPolicy = await h.http
      .post('/api/admin/policies')
      .set(auth(admin))
      .send({
        document: {
          name: 'x',
          calendar: { timeZone: 'UTC', week: {} },
          targets: { '1': [{ metric: 'first_response', seconds: -5 }] },
        },
      })
      .expect(400);
    expect(badPolicy.body.message).toMatch(/seconds/);
  });

  it('creates an organisation and its users; a principal user must belong to it', async () => {
    const policies = await h.http.get('/api/admin/policies').set(auth(admin)).expect(200);
    const org = await h.http
      .post('/api/admin/organizations')
      .set(auth(admin))
      .send({ name: 'Gov Dept', policyId: policies.body[0].id, emailDomains: ['gov.example'] })
      .expect(201);
    const dup = await h.http
      .post('/api/admin/organizations')
      .set(auth(admin))
      .send({ name: 'Gov Dept', policyId: policies.body[0].id })
      .expect(409);
    expect(dup.body.message).toMatch(/already exists/);
    const user = await h.http
      .post('/api/admin/users')
      .set(auth(admin))
      .send({
        email: 'boss@gov.example',
        name: 'Boss',
        role: 'customer_admin',
        organizationId: org.body.id,
        password: 'long-password',
      })
      .expect(201);
    const noOrg = await h.http
      .post('/api/admin/users')
      .set(auth(admin))
      .send({ email: 'c@gov.example', name: 'C', role: 'customer' })
      .expect(400);
    expect(noOrg.body.message).toMatch(/needs an organizationId/);
    const other = await h.http.get('/api/admin/users?role=agent').set(auth(admin)).expect(200);
    await h.http
      .patch(`/api/admin/organizations/${org.body.id}`)
      .set(auth(admin))
      .send({ principalUserId: other.body[0].id })
      .expect(400);
    const updated = await h.http
      .patch(`/api/admin/organizations/${org.body.id}`)
      .set(auth(admin))
      .send({ principalUserId: user.body.id })
      .expect(200);
    expect(updated.body.principalUserId).toBe(user.body.id);
    const boss = await h.login('boss@gov.example', 'long-password');
    const mine = await h.http.get('/api/admin/organizations').set(auth(boss)).expect(200);
    expect(mine.body.map((o: { name: string }) => o.name)).toEqual(['Gov Dept']);
    await h.http
      .patch(`/api/admin/users/${user.body.id}`)
      .set(auth(admin))
      .send({ active: false })
      .expect(200);
    await h.http.get('/api/auth/me').set(auth(boss)).expect(401);
  });

  it('files a ticket from an e-mail (the mail channel’s entry point)', async () => {
    const tickets = h.api.get(TicketsService);
    const receivedAt = new Date('2024-03-12T10:15:00Z');
    const t = await tickets.fileFromEmail({
      fromEmail: 'new.person@acme.example',
      fromName: 'New Person',
      subject: 'Printer',
      body: 'It is on fire',
      receivedAt,
      severity: 1,
    });
    expect(t).toMatchObject({
      channel: 'email',
      organizationName: 'Acme Ltd',
      receivedAt: receivedAt.toISOString(),
    });
    expect(t.targets[0].dueAt).toBe('2024-03-12T11:15:00.000Z');
    await expect(
      tickets.fileFromEmail({
        fromEmail: 'who@unknown.example',
        subject: 's',
        body: 'b',
        receivedAt,
      }),
    ).rejects.toThrow(/not a known customer/);
  });

  it("gives an e-mail without a severity tag its organisation's default severity", async () => {
    const policies = await h.http.get('/api/admin/policies').set(auth(admin)).expect(200);
    const standard = policies.body.find((p: { name: string }) => p.name === 'Standard support');
    const bad = await h.http
      .post('/api/admin/organizations')
      .set(auth(admin))
      .send({ name: 'Initech', policyId: standard.id, defaultSeverity: 4 })
      .expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/defaultSeverity/);
    const org = await h.http
      .post('/api/admin/organizations')
      .set(auth(admin))
      .send({
        name: 'Initech',
        policyId: standard.id,
        emailDomains: ['initech.example'],
        defaultSeverity: 2,
      })
      .expect(201);
    expect(org.body.defaultSeverity).toBe(2);

    const tickets = h.api.get(TicketsService);
    const receivedAt = new Date('2024-03-12T10:15:00Z');
    const untagged = await tickets.fileFromEmail({
      fromEmail: 'peter@initech.example',
      subject: 'TPS reports',
      body: 'The cover sheet is missing',
      receivedAt,
    });
    expect(untagged.severity).toBe(2);
    expect(untagged.targets[0].dueAt).toBe('2024-03-12T14:15:00.000Z');
    const tagged = await tickets.fileFromEmail({
      fromEmail: 'peter@initech.example',
      subject: 'Server down',
      body: 'All users',
      receivedAt,
      severity: 1,
    });
    expect(tagged.severity).toBe(1);

    const changed = await h.http
      .patch(`/api/admin/organizations/${org.body.id}`)
      .set(auth(admin))
      .send({ defaultSeverity: 3 })
      .expect(200);
    expect(changed.body.defaultSeverity).toBe(3);
    const acme = await h.http.get('/api/admin/organizations').set(auth(admin)).expect(200);
    expect(acme.body.find((o: { name: string }) => o.name === 'Acme Ltd').defaultSeverity).toBe(3);
  });

  it('serves the web app: files, and index.html for other non-API routes', async () => {
    const index = await h.http.get('/tickets/123').set('accept', 'text/html').expect(200);
    expect(index.text).toContain('<div id="root">');
    const js = await h.http.get('/assets/app.js').expect(200);
    expect(js.text).toContain('console.log');
    const api = await h.http.get('/api/nothing-here').set('accept', 'text/html').expect(404);
    expect(api.text).not.toContain('<div id="root">');
    await h.http.get('/health').expect(200);
  });
});
