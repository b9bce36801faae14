/**
 * Sessions and passwords (trust.md, ASVS V6/V7): a user lists their sessions (device, address, last
 * seen) and ends any; every session ends on the server at logout, deactivation, a password change, a
 * 2FA change and an admin's revocation; idle and absolute time-outs per role, stricter per
 * organisation; the cookie's flags; the password rules (length, common passwords, forced change).
 */
jest.setTimeout(180_000);
import { loadConfig } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApi } from '../../apps/api/src/bootstrap';
import { ADMIN, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import { appCode, freshStep } from '../support/totp';

describe('sessions', () => {
  let h: Harness;
  let admin: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const alive = async (token: string) =>
    (await h.http.get('/api/auth/me').set(auth(token))).status === 200;
  const login = async (email: string, device = 'jest', password?: string) => {
    const res = await h.http
      .post('/api/auth/login')
      .set('user-agent', device)
      .send({
        email,
        password: password ?? (email === ADMIN.email ? ADMIN.password : DEMO_PASSWORD),
      });
    if (res.status !== 200)
      throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  const userId = async (email: string) =>
    (await h.pg.query(`SELECT id FROM users WHERE email = $1`, [email])).rows[0].id as string;
  /** Moves a session back in time, in the database (without using it: that would cache it). */
  const age = (token: string, column: 'last_seen_at' | 'created_at', minutes: number) =>
    h.pg.query(
      `UPDATE sessions SET ${column} = now() - make_interval(mins => $2)${column === 'created_at' ? ', last_seen_at = now()' : ''} WHERE token_hash = $1`,
      [createHash('sha256').update(token).digest('hex'), minutes],
    );

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    admin = await login(ADMIN.email);
  });
  afterAll(() => h.close());

  it('lists my sessions (device, address, last seen) and ends any of them, not another user’s', async () => {
    const phone = await login('agent1@helpdesk.local', 'Phone browser');
    const laptop = await login('agent1@helpdesk.local', 'Laptop browser');
    const list = await h.http.get('/api/auth/sessions').set(auth(laptop)).expect(200);
    const mine = list.body.filter((s: { userAgent: string }) => s.userAgent !== 'jest');
    expect(mine).toEqual([
      {
        id: expect.any(String),
        current: true,
        createdAt: expect.stringMatching(/Z$/),
        lastSeenAt: expect.stringMatching(/Z$/),
        endsAt: expect.stringMatching(/Z$/),
        userAgent: 'Laptop browser',
        clientAddress: expect.stringMatching(/127\.0\.0\.1/),
      },
      expect.objectContaining({ current: false, userAgent: 'Phone browser' }),
    ]);
    // Idle time-out of staff: 30 minutes from last seen.
    expect(Date.parse(mine[0].endsAt) - Date.parse(mine[0].lastSeenAt)).toBe(30 * 60_000);
    const other = await login('agent2@helpdesk.local');
    await h.http.delete(`/api/auth/sessions/${mine[1].id}`).set(auth(other)).expect(404);
    expect(await alive(phone)).toBe(true);
    await h.http.delete(`/api/auth/sessions/${mine[1].id}`).set(auth(laptop)).expect(204);
    expect(await alive(phone)).toBe(false);
    expect(await alive(laptop)).toBe(true);
    await h.http.delete(`/api/auth/sessions/not-a-uuid`).set(auth(laptop)).expect(400);

    const third = await login('agent1@helpdesk.local');
    const ended = await h.http.delete('/api/auth/sessions').set(auth(laptop)).expect(200);
    expect(ended.body.ended).toBeGreaterThanOrEqual(1);
    expect(await alive(third)).toBe(false);
    expect(await alive(laptop)).toBe(true);
  });

  it('ends at logout, by bearer token or by cookie, on the server', async () => {
    const token = await login('agent2@helpdesk.local');
    await h.http.post('/api/auth/logout').set(auth(token)).expect(204);
    expect(await alive(token)).toBe(false);

    const res = await h.http
      .post('/api/auth/login')
      .send({ email: 'agent2@helpdesk.local', password: DEMO_PASSWORD })
      .expect(200);
    const cookie = res.headers['set-cookie'][0].split(';')[0];
    const out = await h.http
      .post('/api/auth/logout')
      .set('cookie', cookie)
      .set('origin', new URL(await h.api.getUrl()).origin.replace('[::1]', '127.0.0.1'))
      .expect(204);
    expect(out.headers['set-cookie'][0]).toMatch(/^hd_session=;/);
    await h.http.get('/api/auth/me').set('cookie', cookie).expect(401); // the old cookie is dead too
  });

  it('ends when the user is deactivated, and when an admin revokes them', async () => {
    const id = await userId('agent3@helpdesk.local');
    const a = await login('agent3@helpdesk.local');
    const b = await login('agent3@helpdesk.local');
    const revoked = await h.http
      .delete(`/api/admin/users/${id}/sessions`)
      .set(auth(admin))
      .expect(200);
    expect(revoked.body.ended).toBe(2);
    expect([await alive(a), await alive(b)]).toEqual([false, false]);

    const c = await login('agent3@helpdesk.local');
    await h.http
      .patch(`/api/admin/users/${id}`)
      .set(auth(admin))
      .send({ active: false })
      .expect(200);
    expect(await alive(c)).toBe(false);
    await h.http
      .patch(`/api/admin/users/${id}`)
      .set(auth(admin))
      .send({ active: true })
      .expect(200);

    // A customer admin revokes their own organisation's users only.
    const alice = await userId('alice@acme.example');
    const mette = await login('mette@nordisk.example');
    await h.http.delete(`/api/admin/users/${alice}/sessions`).set(auth(mette)).expect(404);
    const aliceToken = await login('alice@acme.example');
    await h.http
      .delete(`/api/admin/users/${alice}/sessions`)
      .set(auth(await login('carol@acme.example')))
      .expect(200);
    expect(await alive(aliceToken)).toBe(false);
  });

  it('a password change ends the other sessions; the rules: 12–128 characters, common ones refused, no composition rules', async () => {
    const email = 'lars@nordisk.example';
    const here = await login(email);
    const there = await login(email);
    const change = (newPassword: string, currentPassword = DEMO_PASSWORD) =>
      h.http.post('/api/auth/password').set(auth(here)).send({ currentPassword, newPassword });
    const refused = async (newPassword: string, message: RegExp, current?: string) => {
      const res = await change(newPassword, current).expect(400);
      expect(res.body.message).toMatch(message);
    };
    await refused('short pass', /newPassword must be at least 12 characters/);
    await refused('x'.repeat(129), /newPassword must be at most 128 characters/);
    await refused('password1234', /newPassword is one of the most common passwords/);
    await refused('qwertyuiop123', /most common passwords/);
    await refused('lars@nordisk.example', /e-mail address/);
    await refused(
      'a fine new passphrase',
      /currentPassword is not your current password/,
      'wrong-current',
    );
    expect(await alive(there)).toBe(true);

    await change('a fine new passphrase').expect(204); // lower-case words only: no composition rules
    expect(await alive(there)).toBe(false);
    expect(await alive(here)).toBe(true);
    await h.http.post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(401);
    await login(email, 'jest', 'a fine new passphrase');
  });

  it('an admin-set password of 8–11 characters must be changed at sign-in; shorter or common ones are refused', async () => {
    const create = (email: string, password: string) =>
      h.http
        .post('/api/admin/users')
        .set(auth(admin))
        .send({ email, name: email, role: 'agent', password });
    expect((await create('weak@helpdesk.local', 'password').expect(400)).body.message).toMatch(
      /most common/,
    );
    expect((await create('short@helpdesk.local', 'seven c').expect(400)).body.message).toMatch(
      /8 characters/,
    );
    await create('temp@helpdesk.local', 'Temp8chr').expect(201);
    const token = await login('temp@helpdesk.local', 'jest', 'Temp8chr');
    const me = await h.http.get('/api/auth/me').set(auth(token)).expect(200);
    expect(me.body.passwordChangeRequired).toBe(true);
    expect((await h.http.get('/api/tickets').set(auth(token)).expect(403)).body.code).toBe(
      'password_change_required',
    );
    await h.http
      .post('/api/auth/password')
      .set(auth(token))
      .send({ currentPassword: 'Temp8chr', newPassword: 'my own long password' })
      .expect(204);
    await h.http.get('/api/tickets').set(auth(token)).expect(200);
    // 12 characters or more set by an admin: no forced change.
    await create('fine@helpdesk.local', 'twelve chars ok').expect(201);
    const fine = await login('fine@helpdesk.local', 'jest', 'twelve chars ok');
    await h.http.get('/api/tickets').set(auth(fine)).expect(200);
  });

  it('a 2FA change ends the other sessions (turning it on, turning it off)', async () => {
    await freshStep();
    const email = 'manager@helpdesk.local';
    const here = await login(email);
    const there = await login(email);
    const started = await h.http.post('/api/auth/two-factor/enrolment').set(auth(here)).expect(201);
    expect(await alive(there)).toBe(true); // starting is no change yet
    await h.http
      .post('/api/auth/two-factor/enrolment/confirm')
      .set(auth(here))
      .send({ code: appCode(started.body.secret, -1) })
      .expect(200);
    expect(await alive(there)).toBe(false);
    expect(await alive(here)).toBe(true);

    const challenge = (
      await h.http.post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)
    ).body.challenge;
    const again = (
      await h.http
        .post('/api/auth/login/two-factor')
        .send({ challenge, code: appCode(started.body.secret) })
        .expect(200)
    ).body.token;
    await h.http
      .post('/api/auth/two-factor/disable')
      .set(auth(here))
      .send({ password: DEMO_PASSWORD, code: appCode(started.body.secret, 1) })
      .expect(204);
    expect(await alive(again)).toBe(false);
    expect(await alive(here)).toBe(true);
  });

  it('an ended session stops answering on every api process at once, not after their caches lapse', async () => {
    const other = await createApi(loadConfig(h.env), { logger: ['error'] });
    try {
      await other.init();
      const there = request(other.getHttpServer());
      const token = await login('agent2@helpdesk.local');
      await there.get('/api/auth/me').set(auth(token)).expect(200); // now cached over there
      await h.http.post('/api/auth/logout').set(auth(token)).expect(204);
      const ended = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - ended < 4000) {
        status = (await there.get('/api/auth/me').set(auth(token))).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(401);
      expect(Date.now() - ended).toBeLessThan(2000); // the cache holds an entry 5 s
    } finally {
      await other.close();
    }
  });

  describe('time-outs', () => {
    it('staff: 30 minutes idle, 12 hours at most', async () => {
      const idle = await login('agent1@helpdesk.local');
      await age(idle, 'last_seen_at', 29);
      expect(await alive(await login('agent1@helpdesk.local'))).toBe(true);
      const fresh = await login('agent1@helpdesk.local');
      await age(fresh, 'last_seen_at', 31);
      expect(await alive(fresh)).toBe(false);
      const old = await login('agent1@helpdesk.local');
      await age(old, 'created_at', 12 * 60 + 1);
      expect(await alive(old)).toBe(false);
      const nearly = await login('agent1@helpdesk.local');
      await age(nearly, 'created_at', 11 * 60);
      expect(await alive(nearly)).toBe(true);
    });

    it('customers: 8 hours idle, 7 days at most; an organisation may set stricter ones', async () => {
      const a = await login('alice@acme.example');
      await age(a, 'last_seen_at', 7 * 60);
      expect(await alive(a)).toBe(true);
      const b = await login('alice@acme.example');
      await age(b, 'last_seen_at', 8 * 60 + 1);
      expect(await alive(b)).toBe(false);
      const c = await login('alice@acme.example');
      await age(c, 'created_at', 7 * 24 * 60 + 1);
      expect(await alive(c)).toBe(false);

      const [acme] = (await h.pg.query(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`))
        .rows;
      const carol = await login('carol@acme.example');
      const set = await h.http
        .put(`/api/admin/organizations/${acme.id}/security`)
        .set(auth(carol))
        .send({ sessionIdleMinutes: 15, sessionMaxHours: 24 })
        .expect(200);
      expect(set.body).toEqual({
        organizationId: acme.id,
        requireTwoFactor: false,
        sessionIdleMinutes: 15,
        sessionMaxHours: 24,
      });
      await h.http
        .put(`/api/admin/organizations/${acme.id}/security`)
        .set(auth(carol))
        .send({ sessionIdleMinutes: 0 })
        .expect(400);
      const d = await login('alice@acme.example');
      await age(d, 'last_seen_at', 16);
      expect(await alive(d)).toBe(false);
      const e = await login('alice@acme.example');
      await age(e, 'created_at', 25 * 60);
      expect(await alive(e)).toBe(false);
      const f = await login('alice@acme.example');
      const list = await h.http.get('/api/auth/sessions').set(auth(f)).expect(200);
      const mine = list.body.find((s: { current: boolean }) => s.current);
      expect(Date.parse(mine.endsAt) - Date.parse(mine.lastSeenAt)).toBe(15 * 60_000);
      // Nordisk keeps the customers' defaults.
      const lars = await login('mette@nordisk.example');
      await age(lars, 'last_seen_at', 60);
      expect(await alive(lars)).toBe(true);
      await h.http
        .put(`/api/admin/organizations/${acme.id}/security`)
        .set(auth(admin))
        .send({ sessionIdleMinutes: null, sessionMaxHours: null })
        .expect(200);
    });
    it('per role: an admin’s, a manager’s or a customer admin’s own; an organisation only shortens them', async () => {
      const api = await createApi(
        loadConfig({
          ...h.env,
          SESSION_IDLE_MINUTES_ADMIN: '10',
          SESSION_MAX_HOURS_ADMIN: '2',
          SESSION_IDLE_MINUTES_MANAGER: '20',
          SESSION_IDLE_MINUTES_CUSTOMER_ADMIN: '60',
          SESSION_MAX_HOURS_CUSTOMER_ADMIN: '24',
        }),
        { logger: ['error'] },
      );
      try {
        await api.init();
        const there = request(api.getHttpServer());
        const signIn = async (email: string) =>
          (
            await there
              .post('/api/auth/login')
              .send({ email, password: email === ADMIN.email ? ADMIN.password : DEMO_PASSWORD })
              .expect(200)
          ).body.token as string;
        const liveThere = async (token: string) =>
          (await there.get('/api/auth/me').set(auth(token))).status === 200;
        /** The idle limit and the absolute end of a fresh session, as its owner's list shows them. */
        const limits = async (email: string) => {
          const token = await signIn(email);
          const list = await there.get('/api/auth/sessions').set(auth(token)).expect(200);
          const mine = list.body.find((s: { current: boolean }) => s.current);
          const [row] = (
            await h.pg.query(
              `SELECT extract(epoch FROM expires_at - created_at)::int AS max FROM sessions WHERE token_hash = $1`,
              [createHash('sha256').update(token).digest('hex')],
            )
          ).rows;
          return {
            idleMinutes: (Date.parse(mine.endsAt) - Date.parse(mine.lastSeenAt)) / 60_000,
            maxHours: Math.round(row.max / 360) / 10,
          };
        };
        expect(await limits(ADMIN.email)).toEqual({ idleMinutes: 10, maxHours: 2 });
        expect(await limits('manager@helpdesk.local')).toEqual({ idleMinutes: 20, maxHours: 12 });
        expect(await limits('agent1@helpdesk.local')).toEqual({ idleMinutes: 30, maxHours: 12 });
        expect(await limits('carol@acme.example')).toEqual({ idleMinutes: 60, maxHours: 24 });
        expect(await limits('alice@acme.example')).toEqual({ idleMinutes: 480, maxHours: 168 });

        // The time-outs hold: the admin idle 11 minutes, or signed in 2 hours ago, is signed out.
        const idle = await signIn(ADMIN.email);
        await age(idle, 'last_seen_at', 11);
        expect(await liveThere(idle)).toBe(false);
        const old = await signIn(ADMIN.email);
        await age(old, 'created_at', 2 * 60 + 1);
        expect(await liveThere(old)).toBe(false);
        const busy = await signIn(ADMIN.email);
        await age(busy, 'last_seen_at', 9);
        expect(await liveThere(busy)).toBe(true);
        const manager = await signIn('manager@helpdesk.local');
        await age(manager, 'last_seen_at', 21);
        expect(await liveThere(manager)).toBe(false);

        // Acme shortens the idle time-out to 15 minutes and tries to lengthen the absolute one.
        const [acme] = (await h.pg.query(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`))
          .rows;
        await there
          .put(`/api/admin/organizations/${acme.id}/security`)
          .set(auth(await signIn(ADMIN.email)))
          .send({ sessionIdleMinutes: 15, sessionMaxHours: 1000 })
          .expect(200);
        expect(await limits('carol@acme.example')).toEqual({ idleMinutes: 15, maxHours: 24 });
        expect(await limits('alice@acme.example')).toEqual({ idleMinutes: 15, maxHours: 168 });
        const carol = await signIn('carol@acme.example');
        await age(carol, 'last_seen_at', 16);
        expect(await liveThere(carol)).toBe(false);
        await there
          .put(`/api/admin/organizations/${acme.id}/security`)
          .set(auth(await signIn(ADMIN.email)))
          .send({ sessionIdleMinutes: null, sessionMaxHours: null })
          .expect(200);
      } finally {
        await api.close();
      }
    });
  });

  describe('the cookie', () => {
    it('is HttpOnly and SameSite=Lax, without Secure over plain HTTP', async () => {
      const res = await h.http
        .post('/api/auth/login')
        .send({ email: 'agent1@helpdesk.local', password: DEMO_PASSWORD })
        .expect(200);
      const cookie = res.headers['set-cookie'][0];
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      expect(cookie).toMatch(/Path=\//);
    });

    it('is Secure when PUBLIC_URL is https', async () => {
      let api: INestApplication | undefined;
      try {
        api = await createApi(loadConfig({ ...h.env, PUBLIC_URL: 'https://helpdesk.example' }), {
          logger: ['error'],
        });
        await api.init();
        const res = await request(api.getHttpServer())
          .post('/api/auth/login')
          .send({ email: 'agent1@helpdesk.local', password: DEMO_PASSWORD })
          .expect(200);
        expect(res.headers['set-cookie'][0]).toMatch(/; Secure/);
        expect(res.headers['set-cookie'][0]).toMatch(/HttpOnly/);
      } finally {
        await api?.close();
      }
    });
  });
});
