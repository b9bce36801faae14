// Tickets through the HTTP API: bad input, who sees what, sensitive tickets, messages and history.
jest.setTimeout(90_000);
import { createTicket, Harness, startHarness } from '../support/harness';
import { waitFor } from '../support/wait';

describe('tickets API', () => {
  let h: Harness;
  let alice: string; // customer of Acme
  let carol: string; // customer admin of Acme
  let lars: string; // customer of Nordisk
  let agent1: string;
  let agent3: string; // cleared
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    [alice, carol, lars, agent1, agent3] = await Promise.all(
      [
        'alice@acme.example',
        'carol@acme.example',
        'lars@nordisk.example',
        'agent1@helpdesk.local',
        'agent3@helpdesk.local',
      ].map((e) => h.login(e)),
    );
  });
  afterAll(() => h.close());

  const count = async (table: string) =>
    Number((await h.pg.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  describe('login', () => {
    it('returns a token and user and sets the session cookie, which works alone', async () => {
      const res = await h.http
        .post('/api/auth/login')
        .send({ email: 'alice@acme.example', password: 'demo-password' })
        .expect(200);
      expect(res.body.token).toEqual(expect.any(String));
      expect(res.body.user).toMatchObject({ email: 'alice@acme.example', role: 'customer' });
      const cookie = res.headers['set-cookie'][0];
      expect(cookie).toMatch(/hd_session=.*HttpOnly/);
      const me = await h.http.get('/api/auth/me').set('cookie', cookie.split(';')[0]).expect(200);
      expect(me.body.email).toBe('alice@acme.example');
    });

    it('refuses every endpoint without a session', async () => {
      const res = await h.http.get('/api/tickets').expect(401);
      expect(res.body.message).toMatch(/Sign in/);
    });

    it('throttles failed logins for an e-mail', async () => {
      for (let i = 0; i < 5; i++)
        await h.http
          .post('/api/auth/login')
          .send({ email: 'lars@nordisk.example', password: 'wrong' })
          .expect(401);
      const res = await h.http
        .post('/api/auth/login')
        .send({ email: 'lars@nordisk.example', password: 'demo-password' })
        .expect(429);
      expect(res.body.message).toMatch(/Too many failed logins/);
    });
  });

  describe('bad input gets a 4xx saying what was wrong, and nothing is written', () => {
    const good = { subject: 'Cannot log in', description: 'Since this morning', severity: 2 };
    it.each([
      ['an unknown field', { ...good, priority: 'high' }, /property priority should not exist/],
      ['severity 0', { ...good, severity: 0 }, /severity must be 1, 2 or 3/],
      ['severity 4', { ...good, severity: 4 }, /severity must be 1, 2 or 3/],
      ['severity "2"', { ...good, severity: '2' }, /severity must be 1, 2 or 3/],
      ['no subject', { description: 'x', severity: 1 }, /subject/],
      [
        'an over-long subject',
        { ...good, subject: 'x'.repeat(201) },
        /subject must be at most 200 characters/,
      ],
      [
        'a description over the size limit',
        { ...good, description: 'x'.repeat(65_537) },
        /description must be at most 65536 characters/,
      ],
      ['an unknown channel', { ...good, channel: 'fax' }, /channel must be one of/],
      [
        'channel chat (chats open through the chat API)',
        { ...good, channel: 'chat' },
        /POST \/api\/chats/,
      ],
    ])('%s', async (_, body, message) => {
      const before = await count('tickets');
      const res = await h.http.post('/api/tickets').set(auth(alice)).send(body).expect(400);
      expect(res.body.message).toMatch(message);
      expect(await count('tickets')).toBe(before);
    });

    it.each(['phone', 'email'])(
      'a customer cannot say their ticket came by %s (only staff log those)',
      async (channel) => {
        const before = await count('tickets');
        const res = await h.http
          .post('/api/tickets')
          .set(auth(alice))
          .send({ ...good, channel })
          .expect(403);
        expect(res.body.code).toBe('channel_staff_only');
        expect(await count('tickets')).toBe(before);
      },
    );

    it('staff may log a ticket that came by e-mail; a customer may raise one through the API', async () => {
      const logged = await h.http
        .post('/api/tickets')
        .set(auth(agent1))
        .send({ ...good, channel: 'email', requesterEmail: 'alice@acme.example' })
        .expect(201);
      expect(logged.body.channel).toBe('email');
      const own = await h.http
        .post('/api/tickets')
        .set(auth(alice))
        .send({ ...good, channel: 'api' })
        .expect(201);
      expect(own.body.channel).toBe('api');
    });

    it.each([
      ['in the future', '2999-01-01T00:00:00Z', /in the future/],
      ['unparsable', 'yesterday at ten', /ISO 8601/],
      ['without a zone', '2024-03-12T10:15:00', /ISO 8601/],
      ['an impossible date', '2024-02-31T10:00:00Z', /ISO 8601|receivedAt/],
    ])('receivedAt %s', async (_, receivedAt, message) => {
      const before = await count('tickets');
      const res = await h.http
        .post('/api/tickets')
        .set(auth(agent1))
        .send({ ...good, receivedAt, requesterEmail: 'alice@acme.example' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
      expect(await count('tickets')).toBe(before);
      expect(await count('ticket_targets')).toBe(await count('tickets'));
    });

    it('a customer may not set receivedAt', async () => {
      const res = await h.http
        .post('/api/tickets')
        .set(auth(alice))
        .send({ ...good, receivedAt: '2024-03-12T10:15:00Z' })
        .expect(403);
      expect(res.body.message).toMatch(/receivedAt may only be given by staff/);
    });

    it('a body that is not JSON, and a message body over the limit', async () => {
      const bad = await h.http
        .post('/api/tickets')
        .set(auth(alice))
        .set('content-type', 'application/json')
        .send('{"subject": ')
        .expect(400);
      expect(bad.body.message).toEqual(expect.any(String));
      const t = await createTicket(h, alice, good);
      const res = await h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth(alice))
        .send({ body: 'x'.repeat(65_537), visibility: 'public' })
        .expect(400);
      expect(res.body.message).toMatch(/body must be at most/);
      const huge = await h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth(alice))
        .send({ body: 'x'.repeat(300_000), visibility: 'public' });
      expect(huge.status).toBe(413);
    });

    it('a ticket id that is not a UUID, and an unknown one', async () => {
      await h.http.get('/api/tickets/123').set(auth(alice)).expect(400);
      await h.http
        .get('/api/tickets/00000000-0000-4000-8000-000000000000')
        .set(auth(alice))
        .expect(404);
    });
  });

  it('stores strings as given (no HTML escaping, no trimming)', async () => {
    const subject = ' <script>alert("x")</script> & «æøå» ';
    const t = await createTicket(h, alice, { subject, description: '<b>bold</b>\n', severity: 3 });
    const read = await h.http.get(`/api/tickets/${t.id}`).set(auth(alice)).expect(200);
    expect(read.body.subject).toBe(subject);
    expect(read.body.description).toBe('<b>bold</b>\n');
  });

  describe('one organisation cannot read or change another’s tickets', () => {
    let acmeTicket: { id: string };
    beforeAll(async () => {
      acmeTicket = await createTicket(h, alice, {
        subject: 'Acme problem',
        description: 'secret acme detail',
        severity: 2,
      });
    });

    it('a Nordisk customer gets 404 reading, replying, changing and escalating', async () => {
      await h.http.get(`/api/tickets/${acmeTicket.id}`).set(auth(lars)).expect(404);
      await h.http
        .post(`/api/tickets/${acmeTicket.id}/messages`)
        .set(auth(lars))
        .send({ body: 'hi', visibility: 'public' })
        .expect(404);
      await h.http
        .patch(`/api/tickets/${acmeTicket.id}`)
        .set(auth(lars))
        .send({ status: 'closed' })
        .expect(404);
      const list = await h.http.get('/api/tickets').set(auth(lars)).expect(200);
      expect(list.body.items.map((t: { id: string }) => t.id)).not.toContain(acmeTicket.id);
      const msgs = Number(
        (
          await h.pg.query('SELECT count(*) FROM ticket_messages WHERE ticket_id = $1', [
            acmeTicket.id,
          ])
        ).rows[0].count,
      );
      expect(msgs).toBe(0);
    });

    it('the Acme customer admin sees the ticket; a customer sees only their own', async () => {
      await h.http.get(`/api/tickets/${acmeTicket.id}`).set(auth(carol)).expect(200);
      const list = await h.http.get('/api/tickets').set(auth(carol)).expect(200);
      expect(list.body.items.map((t: { id: string }) => t.id)).toContain(acmeTicket.id);
      expect(
        list.body.items.every(
          (t: { organizationName: string }) => t.organizationName === 'Acme Ltd',
        ),
      ).toBe(true);
    });

    it('a customer may not escalate, re-classify or write internal notes', async () => {
      await h.http
        .post(`/api/tickets/${acmeTicket.id}/escalations`)
        .set(auth(alice))
        .send({ toLevel: 2, reason: 'please' })
        .expect(403);
      await h.http
        .patch(`/api/tickets/${acmeTicket.id}`)
        .set(auth(alice))
        .send({ severity: 1 })
        .expect(403);
      await h.http
        .post(`/api/tickets/${acmeTicket.id}/messages`)
        .set(auth(alice))
        .send({ body: 'x', visibility: 'internal' })
        .expect(403);
    });
  });

  describe('sensitive tickets', () => {
    let t: { id: string };
    beforeAll(async () => {
      t = await createTicket(h, alice, {
        subject: 'OFFICIAL-SENSITIVE data leak',
        description: 'names of people',
        severity: 1,
        sensitive: true,
      });
    });

    it('uncleared staff see that it exists, not what it says; cleared staff see it and are audited', async () => {
      const un = await h.http.get(`/api/tickets/${t.id}`).set(auth(agent1)).expect(200);
      expect(un.body).toMatchObject({ sensitive: true, restricted: true });
      expect(JSON.stringify(un.body)).not.toContain('names of people');
      expect(JSON.stringify(un.body)).not.toContain('data leak');
      const cleared = await h.http.get(`/api/tickets/${t.id}`).set(auth(agent3)).expect(200);
      expect(cleared.body.description).toBe('names of people');
      // Reads are written in batches a moment later (the page does not wait for the audit).
      const audit = await waitFor(async () => {
        const r = await h.pg.query(
          `SELECT a.action FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.ticket_id = $1 AND u.email = 'agent3@helpdesk.local'`,
          [t.id],
        );
        return r.rowCount ? r : null;
      });
      expect(audit.rows.map((r) => r.action)).toContain('ticket.read');
    });

    it('can be assigned only to cleared staff, and uncleared staff cannot reply', async () => {
      const me1 = await h.http.get('/api/auth/me').set(auth(agent1)).expect(200);
      const me3 = await h.http.get('/api/auth/me').set(auth(agent3)).expect(200);
      const bad = await h.http
        .patch(`/api/tickets/${t.id}`)
        .set(auth(agent3))
        .send({ assigneeId: me1.body.id })
        .expect(400);
      expect(bad.body.message).toMatch(/security clearance/);
      await h.http
        .patch(`/api/tickets/${t.id}`)
        .set(auth(agent3))
        .send({ assigneeId: me3.body.id })
        .expect(200);
      await h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth(agent1))
        .send({ body: 'hello', visibility: 'public' })
        .expect(403);
    });
  });

  describe('messages, re-classification and history', () => {
    it('an internal note does not meet first_response; the first public staff reply does', async () => {
      const t = await createTicket(h, alice, {
        subject: 'Slow',
        description: 'slow pages',
        severity: 2,
      });
      await h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth(agent1))
        .send({ body: 'looking into it (internal)', visibility: 'internal' })
        .expect(201);
      await h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth(alice))
        .send({ body: 'any news?', visibility: 'public' })
        .expect(201);
      let read = await h.http.get(`/api/tickets/${t.id}`).set(auth(agent1)).expect(200);
      expect(read.body.targets[0].state).toBe('running');
      await h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth(agent1))
        .send({ body: 'We are on it.', visibility: 'public' })
        .expect(201);
      read = await h.http.get(`/api/tickets/${t.id}`).set(auth(agent1)).expect(200);
      expect(read.body.targets[0].state).toBe('met');
      expect(read.body.status).toBe('open');
      const asCustomer = await h.http.get(`/api/tickets/${t.id}`).set(auth(alice)).expect(200);
      expect(asCustomer.body.messages.map((m: { body: string }) => m.body)).toEqual([
        'any news?',
        'We are on it.',
      ]);
      expect(read.body.messages).toHaveLength(3);
    });

    it('re-classification recomputes from receivedAt, both ways, and is kept in the history', async () => {
      const t = await createTicket(h, agent1, {
        subject: 'Call',
        description: 'phone',
        severity: 3,
        receivedAt: '2024-03-12T10:15:00Z',
        requesterEmail: 'alice@acme.example',
      });
      expect(t.targets[0].dueAt).toBe('2024-03-13T09:15:00.000Z');
      const up = await h.http
        .patch(`/api/tickets/${t.id}`)
        .set(auth(agent1))
        .send({ severity: 1, reason: 'all users affected' })
        .expect(200);
      expect(up.body.targets[0]).toMatchObject({ dueAt: '2024-03-12T11:15:00.000Z', version: 2 });
      const down = await h.http
        .patch(`/api/tickets/${t.id}`)
        .set(auth(agent1))
        .send({ severity: 2 })
        .expect(200);
      expect(down.body.targets[0]).toMatchObject({ dueAt: '2024-03-12T14:15:00.000Z', version: 3 });
      const history = down.body.history.filter((e: { field: string }) => e.field === 'severity');
      expect(history).toMatchObject([
        { oldValue: 3, newValue: 1, reason: 'all users affected' },
        { oldValue: 1, newValue: 2 },
      ]);
    });

    it('escalation by hand changes the support level with its reason and notifies that level', async () => {
      const t = await createTicket(h, alice, {
        subject: 'Bug',
        description: 'a fault',
        severity: 3,
      });
      const res = await h.http
        .post(`/api/tickets/${t.id}/escalations`)
        .set(auth(agent1))
        .send({ toLevel: 3, reason: 'software fault' })
        .expect(201);
      expect(res.body).toMatchObject({ fromLevel: 1, toLevel: 3, changed: true });
      const read = await h.http.get(`/api/tickets/${t.id}`).set(auth(agent1)).expect(200);
      expect(read.body.supportLevel).toBe(3);
      expect(read.body.history).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field: 'supportLevel',
            oldValue: 1,
            newValue: 3,
            reason: 'software fault',
          }),
        ]),
      );
      const mails = await h.pg.query(
        `SELECT to_addresses FROM outbound_mails WHERE ticket_id = $1 AND kind = 'escalation'`,
        [t.id],
      );
      expect(mails.rows[0].to_addresses).toEqual(['agent3@helpdesk.local']);
      await h.http
        .post(`/api/tickets/${t.id}/escalations`)
        .set(auth(agent1))
        .send({ toLevel: 4, reason: 'x' })
        .expect(400);
    });
  });

  describe('lists', () => {
    it('pages with a cursor and filters; breaching is sorted by nearest due time', async () => {
      const made = [];
      for (const [sev, at] of [
        [3, '2024-05-01T09:00:00Z'],
        [1, '2024-05-01T09:00:00Z'],
        [2, '2024-05-01T09:00:00Z'],
      ] as const) {
        made.push(
          await createTicket(h, agent1, {
            subject: `list ${sev}`,
            description: 'x',
            severity: sev,
            receivedAt: at,
            requesterEmail: 'lars@nordisk.example',
          }),
        );
      }
      const org = made[0].organizationId;
      const page1 = await h.http
        .get(`/api/tickets?organizationId=${org}&limit=2`)
        .set(auth(agent1))
        .expect(200);
      expect(page1.body.items).toHaveLength(2);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await h.http
        .get(`/api/tickets?organizationId=${org}&limit=2&cursor=${page1.body.nextCursor}`)
        .set(auth(agent1))
        .expect(200);
      const ids = [...page1.body.items, ...page2.body.items].map((t: { id: string }) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      const sev1 = await h.http
        .get(`/api/tickets?organizationId=${org}&severity=1`)
        .set(auth(agent1))
        .expect(200);
      expect(sev1.body.items.every((t: { severity: number }) => t.severity === 1)).toBe(true);
      const breaching = await h.http
        .get(`/api/tickets?view=breaching&organizationId=${org}`)
        .set(auth(agent1))
        .expect(200);
      const dues = breaching.body.items.map(
        (t: { targets: { dueAt: string }[] }) => t.targets[0].dueAt,
      );
      expect(dues).toEqual([...dues].sort());
      expect(breaching.body.items[0].severity).toBe(1);
      await h.http.get('/api/tickets?view=everything').set(auth(agent1)).expect(400);
      await h.http.get('/api/tickets?cursor=garbage').set(auth(agent1)).expect(400);
    });
  });

  it('serves the OpenAPI document', async () => {
    const res = await h.http.get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/tickets',
        '/api/auth/login',
        '/api/alarms',
        '/api/tickets/{id}/escalations',
      ]),
    );
  });

  it('health and metrics', async () => {
    const health = await h.http.get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', database: 'up', redis: 'up' });
    const metrics = await h.http.get('/metrics').expect(200);
    expect(metrics.text).toContain('helpdesk_queue_jobs');
    expect(metrics.text).toContain('helpdesk_mails_failed');
  });
});
