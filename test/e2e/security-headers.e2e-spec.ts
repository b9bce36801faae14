// Security headers on every response of the API and the web app, files served as downloads, and
// cookie-authenticated writes refused from a foreign origin (CSRF).
jest.setTimeout(90_000);
import { join } from 'node:path';
import { createTicket, Harness, ROOT, startHarness } from '../support/harness';

const PUBLIC_URL = 'https://desk.example';

describe('security headers and the origin check', () => {
  let h: Harness;
  let cookie: string;
  let bearer: string;

  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      env: { WEB_DIST: join(ROOT, 'apps', 'web', 'dist'), PUBLIC_URL },
    });
    const login = await h.http
      .post('/api/auth/login')
      .send({ email: 'alice@acme.example', password: 'demo-password' })
      .expect(200);
    cookie = login.headers['set-cookie'][0].split(';')[0];
    bearer = login.body.token;
  });
  afterAll(() => h.close());

  const directives = (csp: string) =>
    Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );

  it.each([
    ['the web app', '/'],
    ['a page of the web app', '/desk/tickets/x'],
    ['an asset', '/assets/does-not-exist.js'],
    ['the API without a session', '/api/tickets'],
    ['an unknown API route', '/api/nothing-here'],
    ['the OpenAPI document', '/api/docs-json'],
    ['health', '/health'],
    ['metrics', '/metrics'],
  ])(
    '%s (%s): strict CSP, no framing, nosniff, Referrer-Policy, no X-Powered-By',
    async (_what, path) => {
      const res = await h.http.get(path).set('accept', 'text/html');
      const csp = directives(res.headers['content-security-policy'] ?? '');
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['style-src']).toEqual(["'self'"]);
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    },
  );

  it('Swagger UI has a CSP of its own: its inline styles, still no inline scripts', async () => {
    const res = await h.http.get('/api/docs').expect(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(res.text).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('an uploaded file is served as an attachment, never sniffed', async () => {
    const t = await createTicket(h, bearer, {
      subject: 'html file',
      description: 'x',
      severity: 3,
    });
    const [file] = (
      await h.http
        .post(`/api/tickets/${t.id}/attachments`)
        .set('authorization', `Bearer ${bearer}`)
        .attach('files', Buffer.from('<script>alert(1)</script>'), {
          filename: 'page.html',
          contentType: 'text/html',
        })
        .expect(201)
    ).body;
    const res = await h.http
      .get(`/api/tickets/${t.id}/attachments/${file.id}`)
      .set('cookie', cookie)
      .expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; /);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(directives(res.headers['content-security-policy'])['script-src']).toEqual(["'self'"]);
  });

  describe('cookie-authenticated writes', () => {
    const ticket = { subject: 'CSRF probe', description: 'x', severity: 3 };
    const count = async () =>
      Number(
        (await h.pg.query(`SELECT count(*) FROM tickets WHERE subject = 'CSRF probe'`)).rows[0]
          .count,
      );

    it('from another site are refused and change nothing', async () => {
      const before = await count();
      const res = await h.http
        .post('/api/tickets')
        .set('cookie', cookie)
        .set('origin', 'https://evil.example')
        .send(ticket)
        .expect(403);
      expect(res.body).toMatchObject({ code: 'cross_site_request' });
      expect(res.body.message).toMatch(/https:\/\/evil\.example/);
      expect(res.headers['content-security-policy']).toBeDefined();
      for (const [method, path] of [
        ['patch', '/api/tickets/00000000-0000-4000-8000-000000000000'],
        ['put', '/api/admin/policies/00000000-0000-4000-8000-000000000000'],
        ['delete', '/api/admin/calendars/00000000-0000-4000-8000-000000000000'],
        ['post', '/api/auth/logout'],
      ] as const)
        await h.http[method](path).set('cookie', cookie).set('origin', 'null').send({}).expect(403);
      expect(await count()).toBe(before);
    });

    it('without Origin or Referer are refused', async () => {
      await h.http.post('/api/tickets').set('cookie', cookie).send(ticket).expect(403);
    });

    it('from the helpdesk itself (PUBLIC_URL, or the server as addressed) are accepted', async () => {
      await h.http
        .post('/api/tickets')
        .set('cookie', cookie)
        .set('origin', PUBLIC_URL)
        .send(ticket)
        .expect(201);
      const self = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
      await h.http
        .post('/api/tickets')
        .set('cookie', cookie)
        .set('referer', `${self}/portal/new`)
        .send(ticket)
        .expect(201);
    });

    it('with a bearer token are not cookie requests: accepted from anywhere', async () => {
      await h.http
        .post('/api/tickets')
        .set('authorization', `Bearer ${bearer}`)
        .set('origin', 'https://evil.example')
        .send(ticket)
        .expect(201);
    });

    it('a login posted from another site is refused (login CSRF)', async () => {
      const res = await h.http
        .post('/api/auth/login')
        .set('origin', 'https://evil.example')
        .send({ email: 'alice@acme.example', password: 'demo-password' })
        .expect(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });
});
