/**
 * Two-factor authentication (trust.md): TOTP enrolment with a QR code and the secret in text,
 * login as a second step, a code accepted once, ten single-use recovery codes, enforcement per role
 * and per organisation (403 `two_factor_required` from every other route of the OpenAPI document),
 * who has 2FA with CSV export, an admin's reset, and the audit of it all.
 */
jest.setTimeout(180_000);
import { randomBytes, randomUUID } from 'node:crypto';
import { ADMIN, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import { appCode, freshStep } from '../support/totp';

const KEY = randomBytes(32).toString('base64');

describe('two-factor authentication', () => {
  let h: Harness;
  let admin: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const password = (email: string) => (email === ADMIN.email ? ADMIN.password : DEMO_PASSWORD);
  const passwordStep = (email: string) =>
    h.http.post('/api/auth/login').send({ email, password: password(email) });
  const codeStep = (challenge: string, code: string) =>
    h.http.post('/api/auth/login/two-factor').send({ challenge, code });

  /** Enrols `email` and returns its secret, its recovery codes and a session token. */
  async function enrol(email: string) {
    await freshStep();
    const token = await h.login(email);
    const started = await h.http
      .post('/api/auth/two-factor/enrolment')
      .set(auth(token))
      .expect(201);
    const done = await h.http
      .post('/api/auth/two-factor/enrolment/confirm')
      .set(auth(token))
      .send({ code: appCode(started.body.secret, -1) })
      .expect(200);
    return {
      secret: started.body.secret as string,
      codes: done.body.recoveryCodes as string[],
      token,
    };
  }

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { TOTP_ENCRYPTION_KEY: KEY } });
    admin = await h.login(ADMIN.email);
  });
  afterAll(() => h.close());

  it('enrols with a QR code and the secret in text, confirmed by a code; the secret is never shown again', async () => {
    await freshStep();
    const token = await h.login('agent2@helpdesk.local');
    const before = await h.http.get('/api/auth/two-factor').set(auth(token)).expect(200);
    expect(before.body).toMatchObject({ enabled: false, method: null, required: false });

    const started = await h.http
      .post('/api/auth/two-factor/enrolment')
      .set(auth(token))
      .expect(201);
    const { secret, otpauthUri, qrCode } = started.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/Helpdesk:agent2%40helpdesk.local?issuer=Helpdesk&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(qrCode).toMatch(/^data:image\/png;base64,/);
    expect(Buffer.from(qrCode.split(',')[1], 'base64').subarray(1, 4).toString()).toBe('PNG');

    const wrong = await h.http
      .post('/api/auth/two-factor/enrolment/confirm')
      .set(auth(token))
      .send({ code: appCode(secret, 5) })
      .expect(400);
    expect(wrong.body.code).toBe('bad_code');
    const done = await h.http
      .post('/api/auth/two-factor/enrolment/confirm')
      .set(auth(token))
      .send({ code: appCode(secret) })
      .expect(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    expect(new Set(done.body.recoveryCodes).size).toBe(10);

    const after = await h.http.get('/api/auth/two-factor').set(auth(token)).expect(200);
    expect(after.body).toEqual({
      enabled: true,
      method: 'totp',
      since: expect.stringMatching(/Z$/),
      recoveryCodesLeft: 10,
      required: false,
    });
    expect(JSON.stringify(after.body)).not.toContain(secret);
    const again = await h.http.post('/api/auth/two-factor/enrolment').set(auth(token)).expect(409);
    expect(again.body.code).toBe('two_factor_enabled');
    // Stored encrypted, the recovery codes hashed.
    const [row] = (
      await h.pg.query(
        `SELECT secret FROM two_factor t JOIN users u ON u.id = t.user_id WHERE u.email = $1`,
        ['agent2@helpdesk.local'],
      )
    ).rows;
    expect(row.secret).toMatch(/^gcm:/);
    expect(row.secret).not.toContain(secret);
    const hashes = (await h.pg.query(`SELECT code_hash FROM recovery_codes`)).rows.map(
      (r) => r.code_hash,
    );
    for (const c of done.body.recoveryCodes) expect(hashes.join()).not.toContain(c);
  });

  it('logs in with the password, then a code; the pending state is no session, and a code is accepted once', async () => {
    const { secret } = await enrol('agent1@helpdesk.local');
    const first = await passwordStep('agent1@helpdesk.local').expect(200);
    expect(first.body).toEqual({
      twoFactor: 'required',
      challenge: expect.any(String),
      expiresAt: expect.stringMatching(/Z$/),
    });
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(Date.parse(first.body.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    // The challenge is not a session.
    await h.http.get('/api/auth/me').set(auth(first.body.challenge)).expect(401);
    await h.http.get('/api/tickets').set(auth(first.body.challenge)).expect(401);

    const code = appCode(secret); // enrolment used the step before
    const ok = await codeStep(first.body.challenge, code).expect(200);
    expect(ok.body.user.email).toBe('agent1@helpdesk.local');
    expect(ok.body.token).not.toBe(first.body.challenge);
    expect(ok.headers['set-cookie'][0]).toMatch(/^hd_session=.*HttpOnly.*SameSite=Lax/);
    const me = await h.http.get('/api/auth/me').set(auth(ok.body.token)).expect(200);
    expect(me.body).toMatchObject({ twoFactorEnabled: true, twoFactorRequired: false });
    // The challenge is used up.
    await codeStep(first.body.challenge, appCode(secret, 1)).expect(401);

    // Replayed: the same code (and the step before) on another login.
    for (const replay of [code, appCode(secret, -1)]) {
      const again = await passwordStep('agent1@helpdesk.local').expect(200);
      const refused = await codeStep(again.body.challenge, replay).expect(401);
      expect(refused.body.code).toBe('bad_code');
    }
    const later = await passwordStep('agent1@helpdesk.local').expect(200);
    await codeStep(later.body.challenge, appCode(secret, 1)).expect(200);
  });

  it('a recovery code signs in once, and its use is audited', async () => {
    const { codes } = await enrol('manager@helpdesk.local');
    const first = await passwordStep('manager@helpdesk.local').expect(200);
    const ok = await codeStep(first.body.challenge, codes[3].toUpperCase()).expect(200);
    const status = await h.http.get('/api/auth/two-factor').set(auth(ok.body.token)).expect(200);
    expect(status.body.recoveryCodesLeft).toBe(9);
    const second = await passwordStep('manager@helpdesk.local').expect(200);
    expect((await codeStep(second.body.challenge, codes[3]).expect(401)).body.code).toBe(
      'bad_code',
    );
    await codeStep(second.body.challenge, codes[4]).expect(200);

    const audit = await h.http.get('/api/admin/audit').set(auth(admin)).expect(200);
    const used = audit.body.filter(
      (e: { action: string }) => e.action === 'two_factor.recovery_code_used',
    );
    expect(used).toHaveLength(2);
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['two_factor.enabled']),
    );
  });

  it('a password set by an admin does not bypass 2FA', async () => {
    // agent2 enrolled in the first test.
    const [agent2] = (
      await h.pg.query(`SELECT id FROM users WHERE email = 'agent2@helpdesk.local'`)
    ).rows;
    await h.http
      .patch(`/api/admin/users/${agent2.id}`)
      .set(auth(admin))
      .send({ password: 'a new password from the admin' })
      .expect(200);
    const res = await h.http
      .post('/api/auth/login')
      .send({ email: 'agent2@helpdesk.local', password: 'a new password from the admin' })
      .expect(200);
    expect(res.body).toEqual(expect.objectContaining({ twoFactor: 'required' }));
    expect(res.body.token).toBeUndefined();
  });

  it('wrong codes count as failed logins: the e-mail is locked, and a challenge takes five tries at most', async () => {
    await enrol('agent3@helpdesk.local');
    const first = await passwordStep('agent3@helpdesk.local').expect(200);
    for (let i = 0; i < 5; i++) await codeStep(first.body.challenge, '000000').expect(401);
    const locked = await passwordStep('agent3@helpdesk.local').expect(429);
    expect(locked.body.code).toBe('login_throttled');
    await h.pg.query(`DELETE FROM login_throttle`);
    const gone = await codeStep(first.body.challenge, '000000').expect(401);
    expect(gone.body.code).toBe('challenge_expired');
  });

  describe('enforcement', () => {
    type Op = { method: string; path: string };
    let routes: Op[];
    const PUBLIC = new Set([
      'POST /api/auth/login',
      'POST /api/auth/login/two-factor',
      'POST /api/inbound/mime',
      'POST /api/chats/sessions',
      'GET /health',
      'GET /metrics',
    ]);
    const DURING_ENROLMENT = new Set([
      'GET /api/auth/me',
      'POST /api/auth/logout',
      'GET /api/auth/two-factor',
      'POST /api/auth/two-factor/enrolment',
      'POST /api/auth/two-factor/enrolment/confirm',
    ]);

    beforeAll(async () => {
      const doc = (await h.http.get('/api/docs-json').expect(200)).body;
      routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
        ([path, ops]) =>
          Object.keys(ops)
            .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
            .map((m) => ({ method: m.toUpperCase(), path })),
      );
    });

    /** Every route but the public ones and those of enrolment, as `token`: what each answered. */
    async function walk(token: string) {
      const answers: string[] = [];
      for (const r of routes) {
        const key = `${r.method} ${r.path}`;
        if (PUBLIC.has(key) || DURING_ENROLMENT.has(key)) continue;
        const url = r.path.replace(/\{\w+\}/g, randomUUID());
        const res = await h.http[r.method.toLowerCase() as 'get'](url)
          .set(auth(token))
          .send({})
          .timeout(5000);
        if (res.status !== 403 || res.body.code !== 'two_factor_required')
          answers.push(`${key}: ${res.status} ${res.body?.code}`);
      }
      return answers;
    }

    it('an admin requires it per role: every other route answers 403 two_factor_required until the user enrols', async () => {
      const set = await h.http
        .put('/api/admin/two-factor/roles')
        .set(auth(admin))
        .send({ roles: ['agent', 'manager'] })
        .expect(200);
      expect(set.body.roles).toEqual(['agent', 'manager']);
      await h.http
        .put('/api/admin/two-factor/roles')
        .set(auth(admin))
        .send({ roles: ['janitor'] })
        .expect(400);

      // agent2 has 2FA (first test); make a fresh agent who has not.
      await h.http
        .post('/api/admin/users')
        .set(auth(admin))
        .send({
          email: 'newagent@helpdesk.local',
          name: 'New Agent',
          role: 'agent',
          password: DEMO_PASSWORD,
        })
        .expect(201);
      const token = await h.login('newagent@helpdesk.local'); // a password alone still opens a session…
      const me = await h.http.get('/api/auth/me').set(auth(token)).expect(200);
      expect(me.body).toMatchObject({ twoFactorRequired: true, twoFactorEnabled: false });
      const blocked = await h.http.get('/api/tickets').set(auth(token)).expect(403);
      expect(blocked.body).toMatchObject({
        code: 'two_factor_required',
        message: expect.stringContaining('enrol'),
      });
      expect(routes.length).toBeGreaterThan(40);
      expect(await walk(token)).toEqual([]); // …that reaches nothing but enrolment, me and logout
      const status = await h.http.get('/api/auth/two-factor').set(auth(token)).expect(200);
      expect(status.body).toMatchObject({ enabled: false, required: true });

      const started = await h.http
        .post('/api/auth/two-factor/enrolment')
        .set(auth(token))
        .expect(201);
      await h.http
        .post('/api/auth/two-factor/enrolment/confirm')
        .set(auth(token))
        .send({ code: appCode(started.body.secret) })
        .expect(200);
      await h.http.get('/api/tickets').set(auth(token)).expect(200);
      // Required: it cannot be turned off.
      const off = await h.http
        .post('/api/auth/two-factor/disable')
        .set(auth(token))
        .send({ password: DEMO_PASSWORD, code: appCode(started.body.secret, 1) })
        .expect(403);
      expect(off.body.code).toBe('two_factor_enforced');
      // Admins are not on the list: the admin is not blocked.
      await h.http.get('/api/tickets').set(auth(admin)).expect(200);
      await h.http.post('/api/auth/logout').set(auth(token)).expect(204);
    });

    it('a customer admin requires it for their own organisation only', async () => {
      const carol = await h.login('carol@acme.example');
      const mette = await h.login('mette@nordisk.example');
      const [acme] = (await h.pg.query(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`))
        .rows;
      const refused = await h.http
        .put(`/api/admin/organizations/${acme.id}/security`)
        .set(auth(mette))
        .send({ requireTwoFactor: true });
      expect(refused.status).toBe(404);
      const lars = await h.login('lars@nordisk.example');
      await h.http
        .put(`/api/admin/organizations/${acme.id}/security`)
        .set(auth(lars))
        .send({ requireTwoFactor: true })
        .expect(403);

      const set = await h.http
        .put(`/api/admin/organizations/${acme.id}/security`)
        .set(auth(carol))
        .send({ requireTwoFactor: true })
        .expect(200);
      expect(set.body).toMatchObject({ requireTwoFactor: true, sessionIdleMinutes: null });
      const alice = await h.login('alice@acme.example');
      expect((await h.http.get('/api/tickets').set(auth(alice)).expect(403)).body.code).toBe(
        'two_factor_required',
      );
      expect(await walk(alice)).toEqual([]);
      // Carol too, once her session is looked at again; Nordisk's users are not affected.
      expect(
        (
          await h.http
            .get('/api/tickets')
            .set(auth(await h.login('carol@acme.example')))
            .expect(403)
        ).body.code,
      ).toBe('two_factor_required');
      await h.http.get('/api/tickets').set(auth(lars)).expect(200);
      await h.http
        .put(`/api/admin/organizations/${acme.id}/security`)
        .set(auth(admin))
        .send({ requireTwoFactor: false })
        .expect(200);
      await h.http
        .get('/api/tickets')
        .set(auth(await h.login('alice@acme.example')))
        .expect(200);
    });
  });

  it('admins see who has 2FA (method, since) for everybody, customer admins for their organisation; CSV too', async () => {
    const all = await h.http.get('/api/admin/two-factor').set(auth(admin)).expect(200);
    const byEmail = Object.fromEntries(all.body.map((r: { email: string }) => [r.email, r]));
    expect(byEmail['agent2@helpdesk.local']).toMatchObject({
      enabled: true,
      method: 'totp',
      since: expect.stringMatching(/Z$/),
      required: true,
    });
    expect(byEmail['lars@nordisk.example']).toMatchObject({
      enabled: false,
      method: null,
      since: null,
      required: false,
    });
    expect(Object.keys(byEmail)).toEqual(
      expect.arrayContaining(['alice@acme.example', 'mette@nordisk.example', ADMIN.email]),
    );

    const csv = await h.http.get('/api/admin/two-factor/export').set(auth(admin)).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'email,name,role,organisation,active,two_factor,method,since,required,recovery_codes_left',
    );
    expect(lines.find((l) => l.startsWith('agent2@helpdesk.local,'))).toMatch(
      /,agent,,true,true,totp,20\d\d-.*Z,true,10$/,
    );
    expect(lines).toHaveLength(all.body.length + 1);

    const mette = await h.login('mette@nordisk.example');
    const theirs = await h.http.get('/api/admin/two-factor').set(auth(mette)).expect(200);
    expect(theirs.body.map((r: { organizationName: string }) => r.organizationName)).toEqual(
      theirs.body.map(() => expect.stringMatching(/Nordisk/)),
    );
    expect(theirs.body.length).toBeGreaterThanOrEqual(2);
    const [acme] = (await h.pg.query(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`)).rows;
    const asked = await h.http
      .get(`/api/admin/two-factor/export?organizationId=${acme.id}`)
      .set(auth(mette))
      .expect(200);
    expect(asked.text).not.toContain('acme.example');
    await h.http
      .get('/api/admin/two-factor')
      .set(auth(await h.login('lars@nordisk.example')))
      .expect(403);
    await h.http
      .get('/api/admin/two-factor')
      .set(auth(await h.login('alice@acme.example')))
      .expect(403);
  });

  it('an admin resets a user’s 2FA: it is off, their sessions end, and the reset is audited', async () => {
    await h.http
      .put('/api/admin/two-factor/roles')
      .set(auth(admin))
      .send({ roles: [] })
      .expect(200);
    const { secret } = await enrol('lars@nordisk.example');
    const first = await passwordStep('lars@nordisk.example').expect(200);
    const session = (await codeStep(first.body.challenge, appCode(secret)).expect(200)).body.token;
    const [lars] = (await h.pg.query(`SELECT id FROM users WHERE email = 'lars@nordisk.example'`))
      .rows;
    await h.http
      .post(`/api/admin/users/${lars.id}/two-factor/reset`)
      .set(auth(await h.login('mette@nordisk.example')))
      .expect(403);
    await h.http.post(`/api/admin/users/${lars.id}/two-factor/reset`).set(auth(admin)).expect(204);
    await h.http.get('/api/auth/me').set(auth(session)).expect(401);
    const login = await passwordStep('lars@nordisk.example').expect(200);
    expect(login.body.token).toEqual(expect.any(String)); // no second step any more
    const audit = await h.http
      .get(
        `/api/admin/audit?actorId=${(await h.http.get('/api/auth/me').set(auth(admin))).body.id}`,
      )
      .set(auth(admin))
      .expect(200);
    expect(
      audit.body.find((e: { action: string }) => e.action === 'two_factor.reset'),
    ).toMatchObject({ details: expect.objectContaining({ userId: lars.id }) });
  });

  it('a user turns 2FA off with the password and a code; that is audited', async () => {
    const { secret, token } = await enrol('mette@nordisk.example');
    await h.http
      .post('/api/auth/two-factor/disable')
      .set(auth(token))
      .send({ password: 'wrong-password!', code: appCode(secret) })
      .expect(400);
    await h.http
      .post('/api/auth/two-factor/disable')
      .set(auth(token))
      .send({ password: DEMO_PASSWORD, code: '000000' })
      .expect(400);
    await h.http
      .post('/api/auth/two-factor/disable')
      .set(auth(token))
      .send({ password: DEMO_PASSWORD, code: appCode(secret) })
      .expect(204);
    expect(
      (await h.http.get('/api/auth/two-factor').set(auth(token)).expect(200)).body.enabled,
    ).toBe(false);
    const audit = await h.http.get('/api/admin/audit').set(auth(admin)).expect(200);
    expect(audit.body.map((e: { action: string }) => e.action)).toContain('two_factor.disabled');
  });
});
