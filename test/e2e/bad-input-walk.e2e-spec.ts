// Every route of the OpenAPI document with bad input: a NUL character in every free-text string of
// its body and in every query parameter, ids that are not uuids (with a NUL, 36 dashes, …) in each
// path parameter, query values and body fields of the wrong kind, and JSON nested 10 000 deep.
// Whatever the route and whoever calls it, the answer is never a 500.
jest.setTimeout(300_000);
import { BAD_IDS, nestedArrays, nestedObjects, NUL } from '../support/bad-input';
import { createTicket, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import {
  ApiDocument,
  loadRoutes,
  multipart,
  pathParams,
  rawCall,
  RawBody,
  resolveSchema,
  Route,
  sampleOf,
} from '../support/openapi-walk';

const PEOPLE = { admin: 'admin@helpdesk.test', alice: 'alice@acme.example' } as const;
type Who = keyof typeof PEOPLE;

describe('every route of the OpenAPI document with bad input', () => {
  let h: Harness;
  let doc: ApiDocument;
  let base: string;
  const tokens: Partial<Record<Who, string>> = {};
  /** Path parameter values by the segment before them; any other parameter gets `unknownId`. */
  const fill: Record<string, string> = {};
  const unknownId = '0b6e3c7a-8f1e-4d2a-9c3b-5e6f7a8b9c0d';

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    for (const who of Object.keys(PEOPLE) as Who[]) tokens[who] = await h.login(PEOPLE[who]);
    base = (await h.api.getUrl()).replace('[::1]', '127.0.0.1');
    const ticket = await createTicket(h, tokens.alice!, {
      subject: 'Walked ticket',
      description: 'bad input everywhere',
      severity: 2,
    });
    const file = await h.http
      .post(`/api/tickets/${ticket.id}/attachments`)
      .set('authorization', `Bearer ${tokens.alice}`)
      .attach('files', Buffer.from('walk'), 'walk.txt')
      .expect(201);
    const one = async (sql: string) => (await h.pg.query(sql)).rows[0]?.id as string;
    Object.assign(fill, {
      'tickets/{id}': ticket.id,
      'tickets/{ticketId}': ticket.id,
      'chats/{id}': ticket.id,
      'by-reference/{reference}': ticket.reference,
      'attachments/{attachmentId}': file.body[0]?.id ?? unknownId,
      'users/{id}': await one(`SELECT id FROM users WHERE email = '${PEOPLE.alice}'`),
      'organizations/{id}': await one(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`),
      'policies/{id}': await one(`SELECT id FROM sla_policies LIMIT 1`),
      'calendars/{id}': await one(`SELECT id FROM calendars LIMIT 1`),
    });
    doc = await loadRoutes(h);
  });
  afterAll(() => h.close());

  const urlOf = (r: Route, param?: (name: string) => string, query = '') => {
    let url = r.path;
    for (const name of pathParams(r.path)) {
      const before = r.path.split('/')[r.path.split('/').indexOf(`{${name}}`) - 1];
      url = url.replace(
        `{${name}}`,
        encodeURIComponent(param?.(name) ?? fill[`${before}/{${name}}`] ?? unknownId),
      );
    }
    return query ? `${url}?${query}` : url;
  };

  /** The route's body as its schema wants it, a NUL added to every free-text string. */
  const bodyWithNul = async (r: Route): Promise<RawBody | undefined> => {
    const content = r.op.requestBody?.content;
    if (!content) return undefined;
    const [type, { schema }] = Object.entries(content)[0];
    const value = sampleOf(schema, doc.schemas, unknownId, `x${NUL}y`);
    if (type === 'application/json') return { payload: Buffer.from(JSON.stringify(value)), type };
    if (type === 'multipart/form-data') {
      const s = resolveSchema(schema, doc.schemas);
      const fields: Record<string, string> = {};
      let file: string | undefined;
      for (const [name, p] of Object.entries(s.properties ?? {})) {
        const prop = resolveSchema(p, doc.schemas);
        if (prop.type === 'array' || prop.format === 'binary') file = name;
        else fields[name] = String((value as Record<string, unknown>)[name] ?? `x${NUL}`);
      }
      return multipart(fields, file);
    }
    return { payload: Buffer.from(`Subject: walk${NUL}\r\n\r\nbody${NUL}\r\n`), type };
  };

  const queryWithNul = (r: Route) =>
    (r.op.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => `${encodeURIComponent(p.name)}=x%00`)
      .join('&');

  /** One call as `who`; a session the route itself ended (logout) is renewed and the call made again. */
  const call = async (who: Who, method: string, url: string, body?: RawBody) => {
    const headers = () => ({ authorization: `Bearer ${tokens[who]}` });
    const first = await rawCall(base, method, url, headers(), body);
    if (first.status !== 401 || url.startsWith('/api/inbound')) return first;
    tokens[who] = await h.login(PEOPLE[who], who === 'admin' ? undefined : DEMO_PASSWORD);
    return rawCall(base, method, url, headers(), body);
  };

  /** The route's JSON body with each of its fields set to `value` (the same for all). */
  const bodyWith = (r: Route, value: unknown): RawBody | undefined => {
    const schema = r.op.requestBody?.content['application/json']?.schema;
    if (!schema) return undefined;
    const fields = Object.keys(resolveSchema(schema, doc.schemas).properties ?? {});
    const body = Object.fromEntries(fields.map((f) => [f, value]));
    return { payload: Buffer.from(JSON.stringify(body)), type: 'application/json' };
  };
  const json = (text: string): RawBody => ({
    payload: Buffer.from(text),
    type: 'application/json',
  });
  const queryAll = (r: Route, value: string) =>
    (r.op.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(value)}`)
      .join('&');
  const queryTwice = (r: Route) =>
    (r.op.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => `${encodeURIComponent(p.name)}=1&${encodeURIComponent(p.name)}=2`)
      .join('&');

  const VARIANTS: [string, (r: Route) => Promise<{ url: string; body?: RawBody }>][] = [
    [
      'a NUL in every free-text string of the body and every query parameter',
      async (r) => ({ url: urlOf(r, undefined, queryWithNul(r)), body: await bodyWithNul(r) }),
    ],
    ...BAD_IDS.map(([what, id]): (typeof VARIANTS)[number] => [
      `${what} in each path parameter`,
      async (r) => ({ url: urlOf(r, () => id) }),
    ]),
    ['each query parameter twice', async (r) => ({ url: urlOf(r, undefined, queryTwice(r)) })],
    ...['99999999999999999999', '-1', '1e400', 'NaN', '+275760-09-13T00:00:00Z'].map(
      (v): (typeof VARIANTS)[number] => [
        `every query parameter ${v}`,
        async (r) => ({ url: urlOf(r, undefined, queryAll(r, v)) }),
      ],
    ),
    ...['+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00Z', '2026-02-30T10:00:00Z'].map(
      (v): (typeof VARIANTS)[number] => [
        `every body field ${v}`,
        async (r) => ({ url: urlOf(r), body: bodyWith(r, v) }),
      ],
    ),
    [
      'a JSON array for a body',
      async (r) => ({ url: urlOf(r), body: r.op.requestBody ? json('[{}]') : undefined }),
    ],
    ['every body field an object', async (r) => ({ url: urlOf(r), body: bodyWith(r, { a: 1 }) })],
    ['every body field an array', async (r) => ({ url: urlOf(r), body: bodyWith(r, [[1]]) })],
    ['every body field 1e308', async (r) => ({ url: urlOf(r), body: bodyWith(r, 1e308) })],
    ['every body field -1', async (r) => ({ url: urlOf(r), body: bodyWith(r, -1) })],
    ['every body field null', async (r) => ({ url: urlOf(r), body: bodyWith(r, null) })],
    [
      'every body field a long text',
      async (r) => ({ url: urlOf(r), body: bodyWith(r, 'x'.repeat(20_000)) }),
    ],
    [
      'a JSON body of 10 000 nested arrays',
      async (r) => ({
        url: urlOf(r),
        body: { payload: Buffer.from(nestedArrays(10_000)), type: 'application/json' },
      }),
    ],
    [
      'a JSON body of 1 000 nested objects',
      async (r) => ({
        url: urlOf(r),
        body: { payload: Buffer.from(nestedObjects(1_000)), type: 'application/json' },
      }),
    ],
  ];

  it.each(Object.keys(PEOPLE) as Who[])('as %s: never a 500', async (who) => {
    expect(doc.routes.length).toBeGreaterThan(30);
    const problems: string[] = [];
    const statuses: Record<number, number> = {};
    const calledPlain = new Set<string>();
    for (const [what, make] of VARIANTS)
      for (const r of doc.routes) {
        if (what.includes('path') && !pathParams(r.path).length) continue;
        const { url, body } = await make(r);
        // A variant that changes nothing for this route (no such body, no query) is not sent again.
        const plain = url === urlOf(r) && !body && !what.includes('path');
        if (plain && calledPlain.has(`${r.method} ${url}`)) continue;
        if (plain) calledPlain.add(`${r.method} ${url}`);
        const res = await call(who, r.method, url, body);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 500)
          problems.push(`${r.method} ${url} (${what}): ${res.status} ${res.text.slice(0, 160)}`);
      }
    expect(problems).toEqual([]);
    // The bad input reached the api's checks (not only its sign-in): most calls were refused as such.
    expect(statuses[400]).toBeGreaterThan(doc.routes.length);
  });

  it('refuses a NUL in a body with a 400 on every route that takes a JSON body', async () => {
    const wrong: string[] = [];
    let refused = 0;
    for (const r of doc.routes) {
      if (!r.op.requestBody?.content['application/json'] || r.method === 'DELETE') continue;
      const body = await bodyWithNul(r);
      if (!body?.payload.toString().includes('\\u0000')) continue; // no free text in its schema
      const res = await call('admin', r.method, urlOf(r), body);
      // A route for other roles refuses first (403).
      if (![400, 403].includes(res.status) || (res.status === 400 && !/NUL/.test(res.text)))
        wrong.push(`${r.method} ${r.path}: ${res.status} ${res.text.slice(0, 160)}`);
      else if (res.status === 400) refused++;
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(10);
  });
});
