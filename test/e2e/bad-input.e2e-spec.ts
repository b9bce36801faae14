// Bad input is a 400 that says what was wrong, never a 500: deeply nested JSON, a NUL character in
// any string (PostgreSQL refuses it), paging cursors that are not ours, ids that are not uuids.
jest.setTimeout(120_000);
import {
  BAD_CURSORS,
  BAD_IDS,
  cursorOf,
  nestedArrays,
  nestedObjects,
  NUL,
  withNestedField,
} from '../support/bad-input';
import { createTicket, Harness, startHarness } from '../support/harness';

describe('bad input', () => {
  let h: Harness;
  let alice: string; // customer of Acme
  let agent: string;
  let admin: string;
  let ticket: { id: string; reference: string };
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const VALID = { subject: 'Printer on fire', description: 'smoke', severity: 3 };

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    [alice, agent, admin] = await Promise.all(
      ['alice@acme.example', 'agent1@helpdesk.local', 'admin@helpdesk.test'].map((e) => h.login(e)),
    );
    ticket = await createTicket(h, alice, VALID);
  });
  afterAll(() => h.close());

  const count = async (table: string) =>
    Number((await h.pg.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  describe('deeply nested JSON', () => {
    it.each([
      ['arrays in a field of a new ticket', withNestedField(VALID, 'subject')],
      ['arrays as the whole body', nestedArrays(50_000)],
      ['objects as the whole body', nestedObjects(30_000)],
      ['objects in an unknown field', withNestedField(VALID, 'extra', 100)],
    ])('%s: 400 too deeply nested', async (_what, text) => {
      const before = await count('tickets');
      const res = await h.http
        .post('/api/tickets')
        .set(auth(alice))
        .set('content-type', 'application/json')
        .send(text);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/too deeply nested/);
      expect(await count('tickets')).toBe(before);
    });

    it('in a login: 400 too deeply nested', async () => {
      const res = await h.http
        .post('/api/auth/login')
        .set('content-type', 'application/json')
        .send(withNestedField({ password: 'x' }, 'email'));
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/too deeply nested/);
    });

    it('in a policy document a hundred levels down: 400 naming the limit', async () => {
      const res = await h.http
        .post('/api/admin/policies')
        .set(auth(admin))
        .set('content-type', 'application/json')
        .send(`{"document":${nestedObjects(100)}}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/too deeply nested \(more than \d+ levels\)/);
    });

    it('a body of ordinary depth still works', async () => {
      await h.http
        .post(`/api/tickets/${ticket.id}/messages`)
        .set(auth(alice))
        .send({ body: 'still here', visibility: 'public' })
        .expect(201);
    });
  });

  describe('a NUL character', () => {
    it.each(['subject', 'description'])(
      'in the %s of a new ticket: 400 naming the field',
      async (field) => {
        const before = await count('tickets');
        const res = await h.http
          .post('/api/tickets')
          .set(auth(alice))
          .send({ ...VALID, [field]: `before${NUL}after` });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(new RegExp(`^${field} must not contain a NUL`));
        expect(await count('tickets')).toBe(before);
      },
    );

    it('in the body of a message (JSON): 400 naming body', async () => {
      const res = await h.http
        .post(`/api/tickets/${ticket.id}/messages`)
        .set(auth(agent))
        .send({ body: `hello${NUL}`, visibility: 'public' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^body must not contain a NUL/);
    });

    it('in the body of a message (multipart with a file): 400 naming body', async () => {
      const res = await h.http
        .post(`/api/tickets/${ticket.id}/messages`)
        .set(auth(alice))
        .field('body', `with a file${NUL}`)
        .field('visibility', 'public')
        .attach('files', Buffer.from('x'), 'x.txt');
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^body must not contain a NUL/);
    });

    it('in the reason of a re-classification: 400 naming reason', async () => {
      const res = await h.http
        .patch(`/api/tickets/${ticket.id}`)
        .set(auth(agent))
        .send({ severity: 2, reason: `because${NUL}` });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^reason must not contain a NUL/);
    });

    it('in the e-mail of a login: 400 naming email (not 500, not a failed login)', async () => {
      const res = await h.http
        .post('/api/auth/login')
        .send({ email: `alice@acme.example${NUL}`, password: 'demo-password' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^email must not contain a NUL/);
    });

    it('in the password of a login: 400 naming password', async () => {
      const res = await h.http
        .post('/api/auth/login')
        .send({ email: 'alice@acme.example', password: `demo-password${NUL}` });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^password must not contain a NUL/);
    });

    it('deep in a policy document: 400 naming the path', async () => {
      const res = await h.http
        .post('/api/admin/policies')
        .set(auth(admin))
        .send({ document: { name: `Fast${NUL}`, targets: {} } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^document\.name must not contain a NUL/);
    });

    it('in a field name: 400', async () => {
      const res = await h.http
        .post('/api/tickets')
        .set(auth(alice))
        .send({ ...VALID, [`sub${NUL}ject`]: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/NUL/);
    });

    it.each([
      ['/api/mail/inbound?status=%00', 'status'],
      ['/api/mail/inbound?status=review%00', 'status'],
      ['/api/tickets?cursor=abc%00', 'cursor'],
      ['/api/admin/mails?status=sent%00', 'status'],
      ['/api/admin/users?role=agent%00', 'role'],
    ])('in the query %s: 400 naming the parameter', async (url, name) => {
      const res = await h.http.get(url).set(auth(admin));
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(new RegExp(`^${name} must not contain a NUL`));
    });

    it('in a reference in the path: 400 or 404', async () => {
      const res = await h.http.get('/api/tickets/by-reference/HD-1%00').set(auth(admin));
      expect([400, 404]).toContain(res.status);
    });
  });

  describe('null where the document does not allow it', () => {
    it('a severity of null: 400 naming it, the ticket unchanged', async () => {
      const res = await h.http
        .patch(`/api/tickets/${ticket.id}`)
        .set(auth(agent))
        .send({ severity: null });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('severity must not be null (leave it out instead)');
    });

    it('a password of null: 400 naming it', async () => {
      const [user] = (await h.pg.query(`SELECT id FROM users WHERE email = 'alice@acme.example'`))
        .rows;
      const res = await h.http
        .patch(`/api/admin/users/${user.id}`)
        .set(auth(admin))
        .send({ name: 'Alice', password: null });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('password must not be null (leave it out instead)');
    });

    it('assigneeId null, documented as unassigning, still unassigns', async () => {
      const [me] = (await h.pg.query(`SELECT id FROM users WHERE email = 'agent1@helpdesk.local'`))
        .rows;
      await h.http
        .patch(`/api/tickets/${ticket.id}`)
        .set(auth(agent))
        .send({ assigneeId: me.id })
        .expect(200);
      const res = await h.http
        .patch(`/api/tickets/${ticket.id}`)
        .set(auth(agent))
        .send({ assigneeId: null })
        .expect(200);
      expect(res.body.assigneeId).toBeNull();
    });
  });

  describe('paging cursors that are not ours', () => {
    const lists = ['/api/tickets?', '/api/tickets?sort=due&', '/api/tickets?view=breaching&'];
    it.each(lists.flatMap((list) => BAD_CURSORS.map(([what, c]) => [list, what, c])))(
      '%s cursor=%s: 400 invalid cursor',
      async (list, _what, cursor) => {
        const res = await h.http
          .get(`${list}cursor=${encodeURIComponent(cursor)}`)
          .set(auth(agent));
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/invalid cursor/);
      },
    );

    it('a cursor of one order in another: 400 invalid cursor', async () => {
      const res = await h.http
        .get(`/api/tickets?sort=due&cursor=${cursorOf({ n: '5' })}`)
        .set(auth(agent));
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/invalid cursor/);
    });

    it('the cursors the API gives out still page through every ticket once', async () => {
      for (let i = 0; i < 4; i++) await createTicket(h, alice, { ...VALID, subject: `Page ${i}` });
      for (const order of ['', 'sort=due&']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.http
            .get(`/api/tickets?${order}limit=2${cursor ? `&cursor=${cursor}` : ''}`)
            .set(auth(agent))
            .expect(200);
          seen.push(...res.body.items.map((t) => t.id));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(await count('tickets'));
      }
    });
  });

  describe('ids that are not uuids', () => {
    const routes = (id: string) => [
      ['GET', `/api/tickets/${id}`],
      ['PATCH', `/api/tickets/${id}`],
      ['POST', `/api/tickets/${id}/messages`],
      ['GET', `/api/tickets/${id}/attachments`],
      ['GET', `/api/tickets/${ticket.id}/attachments/${id}`],
      ['POST', `/api/tickets/${id}/escalations`],
      ['GET', `/api/chats/${id}`],
      ['GET', `/api/mail/inbound/${id}`],
      ['GET', `/api/mail/tickets/${id}`],
      ['GET', `/api/mail/attachments/${id}`],
      ['GET', `/api/admin/organizations/${id}`],
      ['PATCH', `/api/admin/users/${id}`],
      ['GET', `/api/admin/policies/${id}`],
      ['GET', `/api/admin/calendars/${id}`],
      ['GET', `/api/alarms?ticketId=${id}`],
      ['GET', `/api/admin/audit?ticketId=${id}`],
      ['GET', `/api/tickets?organizationId=${id}`],
    ];
    it.each(BAD_IDS)('%s: 400 or 404 on every route that takes an id', async (_what, id) => {
      const wrong: string[] = [];
      for (const [method, url] of routes(encodeURIComponent(id))) {
        const res = await h.http[method.toLowerCase() as 'get'](url)
          .set(auth(admin))
          .send(method === 'GET' ? undefined : { body: 'x', severity: 2, toLevel: 2, reason: 'x' });
        if (![400, 404].includes(res.status))
          wrong.push(`${method} ${url}: ${res.status} ${res.text.slice(0, 120)}`);
      }
      expect(wrong).toEqual([]);
    });
  });
});
