// The audit log: append-only for the app's database role, hash-chained, staff reads recorded once
// per 5 minutes (3 s here), "who has seen this ticket", search and export, sign-ins and changes.
jest.setTimeout(120_000);
import { Client } from 'pg';
import { ADMIN, createTicket, Harness, startHarness } from '../support/harness';
import { waitFor } from '../support/wait';

describe('audit log', () => {
  let h: Harness;
  let app: Client; // a connection as the app connects (DATABASE_URL)
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  let ticket: { id: string; reference: string };

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { AUDIT_READ_DEDUP_SECONDS: '3' } });
    app = new Client({ connectionString: h.config.DATABASE_URL });
    await app.connect();
    for (const [who, email] of Object.entries({
      admin: ADMIN.email,
      agent1: 'agent1@helpdesk.local',
      agent2: 'agent2@helpdesk.local',
      alice: 'alice@acme.example',
      carol: 'carol@acme.example',
      mette: 'mette@nordisk.example',
    }))
      tokens[who] = await h.login(email);
    ticket = await createTicket(h, tokens.alice, {
      subject: 'Printer on fire',
      description: 'It smokes.',
      severity: 2,
    });
  });
  afterAll(async () => {
    await app?.end();
    await h?.close();
  });

  const search = async (query: Record<string, string>) =>
    (await h.http.get('/api/admin/audit').query(query).set(auth('admin')).expect(200)).body;

  it('refuses an UPDATE, a DELETE or a TRUNCATE of the audit table by the app’s role', async () => {
    const [{ count }] = (await app.query(`SELECT count(*)::int AS count FROM audit_log`)).rows;
    expect(count).toBeGreaterThan(0); // the sign-ins above
    await expect(app.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(app.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only: DELETE/);
    await expect(app.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE/);
    const after = (await app.query(`SELECT count(*)::int AS count FROM audit_log`)).rows[0];
    expect(after.count).toBe(count);
  });

  it('records a ticket opened by an agent, and shows it in "who has seen this ticket"', async () => {
    await h.http.get(`/api/tickets/${ticket.id}`).set(auth('agent1')).expect(200);
    const viewers = await h.http
      .get(`/api/tickets/${ticket.id}/viewers`)
      .set(auth('agent2'))
      .expect(200);
    expect(viewers.body).toEqual([
      expect.objectContaining({ name: expect.stringMatching(/./), role: 'agent', times: 1 }),
    ]);
    const entries = await search({ ticketId: ticket.id, action: 'ticket.read' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'ticket.read',
      actorRole: 'agent',
      objectType: 'ticket',
      objectId: ticket.id,
      clientAddress: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(entries[0].at).toMatch(/Z$/);
    // The customer's own reads are not staff access; customers may not ask who has seen it.
    await h.http.get(`/api/tickets/${ticket.id}`).set(auth('alice')).expect(200);
    await h.http.get(`/api/tickets/${ticket.id}/viewers`).set(auth('alice')).expect(403);
    expect(await search({ ticketId: ticket.id, action: 'ticket.read' })).toHaveLength(1);
  });

  it('counts repeated reads by one person within the window once, and again after it', async () => {
    const t = await createTicket(h, tokens.alice, {
      subject: 'Dedup',
      description: 'read often',
      severity: 3,
    });
    for (let i = 0; i < 5; i++)
      await h.http.get(`/api/tickets/${t.id}`).set(auth('agent2')).expect(200);
    await h.http.get(`/api/tickets/${t.id}`).set(auth('agent1')).expect(200);
    expect(await search({ ticketId: t.id, action: 'ticket.read' })).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 3200));
    await h.http.get(`/api/tickets/${t.id}`).set(auth('agent2')).expect(200);
    const entries = await search({ ticketId: t.id, action: 'ticket.read' });
    expect(entries).toHaveLength(3);
    const viewers = (await h.http.get(`/api/tickets/${t.id}/viewers`).set(auth('admin'))).body;
    expect(viewers.map((v: { times: number }) => v.times).sort()).toEqual([1, 2]);
  });

  it('records sign-ins, failed sign-ins and sign-outs', async () => {
    await h.http
      .post('/api/auth/login')
      .send({ email: 'agent1@helpdesk.local', password: 'wrong-password' })
      .expect(401);
    const t = await h.login('agent1@helpdesk.local');
    await h.http.post('/api/auth/logout').set('authorization', `Bearer ${t}`).expect(204);
    const [agent1] = (
      await h.pg.query(`SELECT id FROM users WHERE email = 'agent1@helpdesk.local'`)
    ).rows;
    const actions = (await search({ actorId: agent1.id, action: 'auth' })).map(
      (e: { action: string }) => e.action,
    );
    expect(actions.slice(0, 3)).toEqual(['auth.sign_out', 'auth.sign_in', 'auth.sign_in_failed']);
  });

  it('records an admin change with the changed fields before and after, secrets masked', async () => {
    const [agent2] = (
      await h.pg.query(`SELECT id FROM users WHERE email = 'agent2@helpdesk.local'`)
    ).rows;
    await h.http
      .patch(`/api/admin/users/${agent2.id}`)
      .set(auth('admin'))
      .send({ supportLevel: 3, password: 'a-new-long-password' })
      .expect(200);
    const [entry] = await search({ objectId: agent2.id, action: 'user.update' });
    expect(entry.details.changes).toEqual({
      support_level: { before: 2, after: 3 },
      password_hash: { before: '[masked]', after: '[masked]' },
    });
    expect(JSON.stringify(entry)).not.toContain('a-new-long-password');
  });

  it('exports the search as CSV and JSON, and the export is itself audited', async () => {
    const csv = await h.http
      .get('/api/admin/audit/export')
      .query({ ticketId: ticket.id })
      .set(auth('admin'))
      .expect(200)
      .expect('content-type', /text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,actorId,actorName,actorRole,clientAddress,action,objectType,objectId,organizationId,ticketId,details',
    );
    expect(lines.some((l) => l.includes('ticket.read'))).toBe(true);
    const json = await h.http
      .get('/api/admin/audit/export')
      .query({ ticketId: ticket.id, format: 'json' })
      .set(auth('admin'))
      .expect(200);
    expect(JSON.parse(json.text)[0]).toHaveProperty('action');
    await waitFor(async () => (await search({ action: 'data.export' })).length > 0, {
      what: 'the export in the audit',
    });
    await h.http
      .get('/api/admin/audit')
      .query({ from: 'yesterday' })
      .set(auth('admin'))
      .expect(400);
    await h.http.get('/api/admin/audit').set(auth('agent1')).expect(403);
  });

  it("shows a customer admin the staff accesses to their organisation's data, and no one else's", async () => {
    const acme = (await h.http.get('/api/audit/staff-accesses').set(auth('carol')).expect(200))
      .body;
    expect(acme.length).toBeGreaterThan(0);
    expect(acme.every((e: { actorRole: string }) => e.actorRole !== 'customer')).toBe(true);
    expect(acme.map((e: { objectId: string }) => e.objectId)).toContain(ticket.id);
    const nordisk = (
      await h.http
        .get('/api/audit/staff-accesses')
        .query({ organizationId: acme[0].organizationId })
        .set(auth('mette'))
        .expect(200)
    ).body;
    expect(nordisk.map((e: { objectId: string }) => e.objectId)).not.toContain(ticket.id);
  });

  it('verifies the chain, and finds an entry changed or removed by a superuser', async () => {
    const ok = await h.http.get('/api/admin/audit/verify').set(auth('admin')).expect(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.checked).toBeGreaterThan(5);
    const ids = (await h.pg.query(`SELECT id FROM audit_log ORDER BY id`)).rows.map((r) => r.id);
    // A superuser can get past the trigger (replica mode skips it); the chain still shows it.
    await h.pg.query(`SET session_replication_role = replica`);
    await h.pg.query(`UPDATE audit_log SET client_address = '10.9.9.9' WHERE id = $1`, [ids[3]]);
    const changed = (await h.http.get('/api/admin/audit/verify').set(auth('admin')).expect(200))
      .body;
    expect(changed).toMatchObject({ ok: false, brokenAt: String(ids[3]) });
    expect(changed.problem).toMatch(/changed/);
    await h.pg.query(`DELETE FROM audit_log WHERE id = $1`, [ids[3]]);
    const removed = (await h.http.get('/api/admin/audit/verify').set(auth('admin')).expect(200))
      .body;
    expect(removed).toMatchObject({ ok: false, brokenAt: String(ids[4]) });
    expect(removed.problem).toMatch(/missing/);
    await h.pg.query(`SET session_replication_role = origin`);
  });
});
