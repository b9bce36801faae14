// Failed logins are throttled per e-mail (one account guessed) and per client address (many e-mails
// tried from one place); a good login forgives the e-mail's failures but not the address's.
jest.setTimeout(90_000);
import { DEMO_PASSWORD, Harness, startHarness } from '../support/harness';

describe('failed-login throttle', () => {
  let h: Harness;
  const login = (email: string, password: string) =>
    h.http.post('/api/auth/login').send({ email, password });

  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      env: { LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '5' },
    });
  });
  afterAll(() => h.close());

  it('locks an e-mail after its failures, locks the address after failures across e-mails', async () => {
    await login('alice@acme.example', 'wrong').expect(401);
    await login('alice@acme.example', 'wrong').expect(401);
    await login('alice@acme.example', DEMO_PASSWORD).expect(200); // forgiven: alice starts again at 0

    await login('nobody@acme.example', 'wrong').expect(401);
    await login('carol@acme.example', 'wrong').expect(401);
    await login('carol@acme.example', 'wrong').expect(401); // 5th failure from this address
    const locked = await login('lars@nordisk.example', DEMO_PASSWORD).expect(429);
    expect(locked.body.message).toMatch(
      /Too many failed logins for your address; try again in \d+ s/,
    );

    const rows = await h.pg.query(`SELECT key, failures FROM login_throttle ORDER BY key`);
    expect(rows.rows).toEqual([
      { key: expect.stringMatching(/^address:/), failures: 5 },
      { key: 'carol@acme.example', failures: 2 },
      { key: 'nobody@acme.example', failures: 1 },
    ]);
  });

  it('locks an e-mail after LOGIN_MAX_FAILURES, naming the e-mail', async () => {
    await h.pg.query(`DELETE FROM login_throttle`);
    for (let i = 0; i < 3; i++) await login('lars@nordisk.example', 'wrong').expect(401);
    const res = await login('lars@nordisk.example', DEMO_PASSWORD).expect(429);
    expect(res.body.message).toMatch(/Too many failed logins for this e-mail/);
    await login('alice@acme.example', DEMO_PASSWORD).expect(200);
  });

  describe('behind a reverse proxy (TRUST_PROXY)', () => {
    let proxied: Harness;
    beforeAll(async () => {
      proxied = await startHarness({
        worker: false,
        env: { TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_ADDRESS: '2' },
      });
    });
    afterAll(() => proxied.close());
    const from = (client: string, email: string, password: string) =>
      proxied.http.post('/api/auth/login').set('x-forwarded-for', client).send({ email, password });

    it("counts failures per client as the proxy names it, not per the proxy's own address", async () => {
      await from('203.0.113.5', 'alice@acme.example', 'wrong').expect(401);
      await from('203.0.113.5', 'carol@acme.example', 'wrong').expect(401);
      await from('203.0.113.5', 'lars@nordisk.example', DEMO_PASSWORD).expect(429);
      await from('198.51.100.7', 'lars@nordisk.example', DEMO_PASSWORD).expect(200);
      const rows = await proxied.pg.query(
        `SELECT key FROM login_throttle WHERE key LIKE 'address:%'`,
      );
      expect(rows.rows).toEqual([{ key: 'address:203.0.113.5' }]);
    });
  });
});
