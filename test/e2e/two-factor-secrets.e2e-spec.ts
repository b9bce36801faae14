/**
 * TOTP secrets are never stored in plain text (trust.md, ASVS 11.x): without TOTP_ENCRYPTION_KEY
 * (development, tests) the key made once in TOTP_KEY_FILE encrypts them; secrets stored plain before
 * are encrypted at boot and keep working.
 */
jest.setTimeout(120_000);
import { TwoFactorService } from '@app/identity';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD, Harness, startHarness } from '../support/harness';
import { appCode, freshStep } from '../support/totp';

describe('TOTP secrets at rest', () => {
  let h: Harness;
  const dir = mkdtempSync(join(tmpdir(), 'totp-key-e2e-'));
  const keyFile = join(dir, 'totp.key');
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const userId = async (email: string) =>
    (await h.pg.query(`SELECT id FROM users WHERE email = $1`, [email])).rows[0].id as string;
  const storedSecret = async (email: string) =>
    (await h.pg.query(`SELECT secret FROM two_factor WHERE user_id = $1`, [await userId(email)]))
      .rows[0].secret as string;
  const signInWithCode = async (email: string, secret: string) => {
    const first = await h.http
      .post('/api/auth/login')
      .send({ email, password: DEMO_PASSWORD })
      .expect(200);
    expect(first.body.twoFactor).toBe('required');
    return h.http
      .post('/api/auth/login/two-factor')
      .send({ challenge: first.body.challenge, code: appCode(secret) });
  };

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { TOTP_KEY_FILE: keyFile } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('encrypts a new secret with the key made in TOTP_KEY_FILE: the two_factor row holds no plain secret', async () => {
    expect(h.config.TOTP_ENCRYPTION_KEY).toBeUndefined();
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await freshStep();
    const token = await h.login('agent2@helpdesk.local');
    const started = await h.http
      .post('/api/auth/two-factor/enrolment')
      .set(auth(token))
      .expect(201);
    const secret: string = started.body.secret;
    const pending = await storedSecret('agent2@helpdesk.local');
    expect(pending).toMatch(/^gcm:/);
    expect(pending).not.toContain(secret);
    await h.http
      .post('/api/auth/two-factor/enrolment/confirm')
      .set(auth(token))
      .send({ code: appCode(secret, -1) })
      .expect(200);
    const stored = await storedSecret('agent2@helpdesk.local');
    expect(stored).toMatch(/^gcm:/);
    expect(stored).not.toContain(secret);
    const rows = (await h.pg.query(`SELECT t::text AS row FROM two_factor t`)).rows;
    expect(rows.filter((r) => r.row.includes(secret))).toEqual([]);
    await freshStep();
    expect((await signInWithCode('agent2@helpdesk.local', secret)).status).toBe(200);
  });

  it('encrypts a secret stored plain before, at boot, and it keeps working', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await h.pg.query(
      `INSERT INTO two_factor (user_id, secret, enabled_at) VALUES ($1, $2, now())`,
      [await userId('agent1@helpdesk.local'), `plain:${secret}`],
    );
    expect(await h.api.get(TwoFactorService).sealPlainSecrets()).toBe(1);
    const stored = await storedSecret('agent1@helpdesk.local');
    expect(stored).toMatch(/^gcm:/);
    expect(stored).not.toContain(secret);
    expect(
      (await h.pg.query(`SELECT count(*)::int FROM two_factor WHERE secret LIKE 'plain:%'`)).rows[0]
        .count,
    ).toBe(0);
    await freshStep();
    expect((await signInWithCode('agent1@helpdesk.local', secret)).status).toBe(200);
    expect(await h.api.get(TwoFactorService).sealPlainSecrets()).toBe(0);
  });
});
