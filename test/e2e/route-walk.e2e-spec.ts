/**
 * Walks every route of the OpenAPI document (/api/docs-json), with every method, as people who must
 * not see what the routes hold: uncleared staff (admin, manager, agent) must never get a subject,
 * body, file name or reason of an OFFICIAL-SENSITIVE ticket; customers of another organisation
 * (customer and customer admin) get 404 or 403 for every object of Acme and never its content; the
 * ticket's own customers never get an internal note or file.
 *
 * Path and query parameters are filled from FILL by the segment before them (`tickets/{id}`) or by
 * name: a route added later with a parameter the walk cannot fill fails the test, naming it, until
 * FILL learns it (or it is listed in UNWALKED with a reason). Request bodies are made from the
 * document's schemas (required fields), so writes are walked too.
 */
jest.setTimeout(300_000);
import { request as httpRequest } from 'node:http';
import {
  leaked,
  PEOPLE,
  RestrictedFixture,
  SECRET,
  startRestrictedFixture,
} from './restricted-fixture';
import type { Operation, Route, Schema } from '../support/openapi-walk';

/** Routes the walk does not call, each with the reason. Keep it short. */
const UNWALKED: Record<string, string> = {};

const INTERNAL_FILE = 'hollowmere-internal-notes.txt';
const INTERNAL_NOTE = 'Fernsby note with a file';

describe('every route of the OpenAPI document, walked by people who must not see', () => {
  let f: RestrictedFixture;
  let routes: Route[];
  let schemas: Record<string, Schema>;
  let base: string;
  const fill: Record<string, string[]> = {};

  beforeAll(async () => {
    f = await startRestrictedFixture();
    const { h, ticket, auth } = f;
    base = (await h.api.getUrl()).replace('[::1]', '127.0.0.1');
    const note = await h.http
      .post(`/api/tickets/${ticket.id}/messages`)
      .set(auth('agent3'))
      .field('body', INTERNAL_NOTE)
      .field('visibility', 'internal')
      .attach('files', Buffer.from('internal'), INTERNAL_FILE)
      .expect(201);
    // A restricted chat of Acme's: its first message, answer and internal note are content too.
    const chat = await h.http
      .post('/api/chats')
      .set(auth('alice'))
      .send({
        clientMessageId: '00000000-0000-4000-8000-000000000001',
        severity: 2,
        body: `${SECRET.description} (by chat)`,
        sensitive: true,
      })
      .expect(201);
    for (const [body, visibility] of [
      [`${SECRET.reply} (by chat)`, 'public'],
      [`${SECRET.note} (by chat)`, 'internal'],
    ])
      await h.http
        .post(`/api/chats/${chat.body.ticketId}/messages`)
        .set(auth('agent3'))
        .send({ clientMessageId: crypto.randomUUID(), body, visibility })
        .expect(201);
    const q = async (sql: string, args: unknown[] = []) => (await h.pg.query(sql, args)).rows;
    const files = await q(
      `SELECT id, filename, inbound_mail_id FROM inbound_attachments WHERE ticket_id = $1`,
      [ticket.id],
    );
    const [acme] = await q(`SELECT id, policy_id FROM organizations WHERE name = 'Acme Ltd'`);
    const [alice] = await q(`SELECT id FROM users WHERE email = $1`, [PEOPLE.alice]);
    const [calendar] = await q(`SELECT id FROM calendars LIMIT 1`);
    const [aliceSession] = await q(`SELECT id FROM sessions WHERE user_id = $1 LIMIT 1`, [
      alice.id,
    ]);
    // Acme's issued report, an Acme outage and maintenance window (issue 10).
    const report = await h.http
      .post('/api/reports/quarterly/issue')
      .set(auth('manager'))
      .send({ organizationId: acme.id, quarter: '2026-Q4' })
      .expect(201);
    const outage = await h.http
      .post('/api/outages')
      .set(auth('admin'))
      .send({ organizationId: acme.id, start: '2026-10-10T10:00:00Z', summary: 'Acme outage' })
      .expect(201);
    const maintenance = await h.http
      .post('/api/maintenance-windows')
      .set(auth('admin'))
      .send({
        organizationId: acme.id,
        start: '2026-11-14T02:00:00Z',
        end: '2026-11-14T04:00:00Z',
        announcedAt: '2026-11-01T10:00:00Z',
      })
      .expect(201);
    // Acme's objects, and the sensitive ticket's: what the walkers must not reach or read.
    Object.assign(fill, {
      'tickets/{id}': [ticket.id],
      'tickets/{ticketId}': [ticket.id],
      'by-reference/{reference}': [ticket.reference],
      'attachments/{attachmentId}': files.filter((a) => !a.inbound_mail_id).map((a) => a.id),
      'attachments/{id}': files.filter((a) => a.inbound_mail_id).map((a) => a.id),
      'inbound/{id}': [f.inboundMailId],
      'users/{id}': [alice.id],
      'organizations/{id}': [acme.id],
      'policies/{id}': [acme.policy_id],
      'calendars/{id}': [calendar.id],
      'messages/{messageId}': [note.body.id],
      'chats/{id}': [chat.body.ticketId],
      'sessions/{id}': [aliceSession.id], // another user's session: not found for everyone else
      'reports/{id}': [report.body.id],
      'outages/{id}': [outage.body.id],
      'maintenance-windows/{id}': [maintenance.body.id],
      // Query parameters, by name.
      ticketId: [ticket.id],
      organizationId: [acme.id],
      actorId: [alice.id],
    });
    expect(fill['attachments/{attachmentId}']).toHaveLength(2); // the customer's file and the internal one
    expect(fill['attachments/{id}']).toHaveLength(2); // the mail's file and its inline image

    const doc = (await h.http.get('/api/docs-json').expect(200)).body;
    schemas = doc.components?.schemas ?? {};
    routes = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
      ([path, ops]) =>
        Object.entries(ops)
          .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });
  afterAll(() => f?.h.close());

  /** The value(s) for a path parameter, by the segment before it; undefined: the walk cannot fill it. */
  const pathValues = (path: string, name: string): string[] | undefined => {
    const segments = path.split('/');
    // `{id}` or a segment that holds it, like `{id}.csv.zip`.
    const i = segments.findIndex((s) => s.includes(`{${name}}`));
    const before = segments[i - 1];
    return fill[`${before}/{${name}}`];
  };
  const key = (r: Route) => `${r.method} ${r.path}`;

  /** Every way to call a route: one URL per combination of its path parameters' values. */
  const urlsOf = (r: Route): string[] => {
    const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    let urls = [r.path];
    for (const name of names) {
      const values = pathValues(r.path, name);
      if (!values?.length) throw new Error(`cannot fill {${name}}`);
      urls = urls.flatMap((u) => values.map((v) => u.replace(`{${name}}`, encodeURIComponent(v))));
    }
    const query = (r.op.parameters ?? []).filter((p) => p.in === 'query');
    const params = new URLSearchParams();
    for (const p of query) {
      const v = fill[p.name]?.[0];
      if (v) params.set(p.name, v);
      else if (p.required && p.schema && resolve(p.schema).format !== 'uuid')
        params.set(p.name, String(sample(p.schema)));
      else if (p.required) throw new Error(`cannot fill the required query parameter ${p.name}`);
    }
    const qs = params.toString();
    return urls.map((u) => (qs ? `${u}?${qs}` : u));
  };

  const resolve = (s: Schema): Schema =>
    s.$ref
      ? resolve(schemas[s.$ref.split('/').pop()!])
      : (s.allOf?.[0] ?? s.oneOf?.[0] ?? s.anyOf?.[0] ?? s);

  /** A value the schema accepts, from its required fields: enough to get past validation. */
  const sample = (raw: Schema): unknown => {
    const s = resolve(raw);
    if (s.example !== undefined) return s.example;
    if (s.enum?.length) return s.enum[0];
    if (s.default !== undefined) return s.default;
    switch (s.type) {
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return false;
      case 'array':
        return [];
      case 'string':
        if (s.format === 'uuid') return fill['tickets/{id}'][0];
        if (s.format === 'email') return 'walker@nordisk.example';
        if (s.format === 'date-time') return '2026-01-05T10:00:00Z';
        return 'w'.repeat(Math.max(s.minLength ?? 0, 12));
      default:
        return Object.fromEntries(
          (s.required ?? []).map((name) => [name, sample(s.properties?.[name] ?? {})]),
        );
    }
  };

  const bodyOf = (r: Route): { body?: string | FormData; type?: string } => {
    const content = r.op.requestBody?.content;
    if (!content) return {};
    if (content['application/json'])
      return {
        body: JSON.stringify(sample(content['application/json'].schema)),
        type: 'application/json',
      };
    if (content['multipart/form-data']) {
      const s = resolve(content['multipart/form-data'].schema);
      const form = new FormData();
      for (const name of s.required ?? []) {
        const prop = resolve(s.properties?.[name] ?? {});
        if (prop.type === 'array' || prop.format === 'binary')
          form.append(name, new Blob([Buffer.from('walk')]), 'walk.txt');
        else form.append(name, String(sample(prop)));
      }
      return { body: form };
    }
    throw new Error(`no body for ${Object.keys(content).join(', ')}`);
  };

  /** One call as `who`, on a connection of its own; a stream is read for its first moments only. */
  const once = async (
    who: string,
    method: string,
    url: string,
    body: ReturnType<typeof bodyOf>,
  ) => {
    let payload: Buffer | undefined;
    let type = body.type;
    if (body.body instanceof FormData) {
      const encoded = new Response(body.body);
      payload = Buffer.from(await encoded.arrayBuffer());
      type = encoded.headers.get('content-type') ?? undefined;
    } else if (typeof body.body === 'string') payload = Buffer.from(body.body);
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${base}${url}`,
        {
          method,
          agent: false,
          headers: {
            ...f.auth(who),
            ...(type ? { 'content-type': type } : {}),
            ...(payload ? { 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          const done = () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', done);
          if ((res.headers['content-type'] ?? '').includes('text/event-stream'))
            setTimeout(() => {
              done();
              req.destroy();
            }, 1000);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  };

  /** One call as `who`; a session ended by the route itself (logout) is renewed for the next call. */
  const call = async (
    who: string,
    method: string,
    url: string,
    body: ReturnType<typeof bodyOf>,
  ) => {
    const first = await once(who, method, url, body);
    if (first.status !== 401 || url.startsWith('/api/inbound')) return first;
    f.tokens[who] = await f.h.login(PEOPLE[who as keyof typeof PEOPLE]);
    return once(who, method, url, body);
  };

  it('knows how to fill every parameter of every route (a new route must be taught or listed)', () => {
    const unfillable: string[] = [];
    for (const r of routes) {
      if (UNWALKED[key(r)]) continue;
      try {
        urlsOf(r);
        bodyOf(r);
      } catch (e) {
        unfillable.push(`${key(r)}: ${(e as Error).message}`);
      }
    }
    expect(unfillable).toEqual([]);
    expect(routes.length).toBeGreaterThan(30);
  });

  const walk = async (
    who: string,
    secrets: readonly string[],
    check: (r: Route, url: string, status: number) => string | null,
  ) => {
    const problems: string[] = [];
    const ordered = [...routes].sort(
      (a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'),
    );
    for (const r of ordered) {
      if (UNWALKED[key(r)]) continue;
      for (const url of urlsOf(r)) {
        const res = await call(who, r.method, url, bodyOf(r));
        const gave = leaked(res.text, secrets);
        if (gave.length)
          problems.push(`${r.method} ${url} (${res.status}) gave away ${gave.join(', ')}`);
        if (res.status >= 500)
          problems.push(`${r.method} ${url}: ${res.status} ${res.text.slice(0, 200)}`);
        const wrong = check(r, url, res.status);
        if (wrong) problems.push(`${r.method} ${url}: ${wrong}`);
      }
    }
    return problems;
  };

  const ALL = [...Object.values(SECRET), INTERNAL_NOTE, INTERNAL_FILE];

  it.each(['admin', 'manager', 'agent1'])(
    '%s without clearance: no subject, body, file name or reason of the sensitive ticket on any route',
    async (who) => {
      expect(await walk(who, ALL, () => null)).toEqual([]);
    },
  );

  it.each(['lars', 'mette'])(
    "%s of another organisation: 404 or 403 for every Acme object, and none of Acme's content",
    async (who) => {
      const problems = await walk(who, [...ALL, PEOPLE.alice, 'Acme Ltd'], (r, _url, status) =>
        r.path.includes('{') && ![403, 404].includes(status)
          ? `answered ${status}, not 404/403`
          : null,
      );
      expect(problems).toEqual([]);
    },
  );

  it.each(['alice', 'carol'])(
    '%s of Acme: the ticket’s internal note and internal file never reach its customers',
    async (who) => {
      expect(await walk(who, [SECRET.note, INTERNAL_NOTE, INTERNAL_FILE], () => null)).toEqual([]);
    },
  );

  it('the cleared agent does see the content (the walk can find what it looks for)', async () => {
    const res = await call('agent3', 'GET', `/api/tickets/${f.ticket.id}`, {});
    expect(leaked(res.text, ALL)).toEqual(
      expect.arrayContaining([SECRET.subject, SECRET.note, INTERNAL_NOTE, INTERNAL_FILE]),
    );
  });
});
