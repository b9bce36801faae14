import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/helpdesk');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.QUEUE_PREFIX).toBe('helpdesk');
    expect(c.PORT).toBe(3000);
    expect(c.mailDomain).toBe('helpdesk.local');
  });

  it('reads and converts the given values', () => {
    const c = loadConfig({
      PORT: '8080',
      QUEUE_PREFIX: 'hd_test-1',
      ADMIN_ALERT_EMAILS: 'a@x.example, b@y.example',
      COOKIE_SECURE: 'true',
    });
    expect(c.PORT).toBe(8080);
    expect(c.QUEUE_PREFIX).toBe('hd_test-1');
    expect(c.adminAlertEmails).toEqual(['a@x.example', 'b@y.example']);
    expect(c.COOKIE_SECURE).toBe(true);
  });

  it.each(['1', 'true', 'loopback', '10.0.0.0/8, 192.168.1.4', 'loopback,fd00::/8'])(
    'takes TRUST_PROXY %j',
    (value) => {
      expect(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
    },
  );

  it.each(['yes please', 'loopback;rm', '-1'])(
    'refuses TRUST_PROXY %j, saying what it may be',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY must be a hop count/);
    },
  );

  it('gives each role its session time-outs: its own when set, else its group’s', () => {
    expect(loadConfig({}).sessionTimeoutsByRole).toEqual({
      admin: { idleMinutes: 30, maxHours: 12 },
      manager: { idleMinutes: 30, maxHours: 12 },
      agent: { idleMinutes: 30, maxHours: 12 },
      customer_admin: { idleMinutes: 480, maxHours: 168 },
      customer: { idleMinutes: 480, maxHours: 168 },
    });
    const c = loadConfig({
      SESSION_IDLE_MINUTES_ADMIN: '10',
      SESSION_MAX_HOURS_ADMIN: '2',
      SESSION_IDLE_MINUTES_STAFF: '45',
      SESSION_MAX_HOURS_CUSTOMER_ADMIN: '24',
    });
    expect(c.sessionTimeoutsByRole).toMatchObject({
      admin: { idleMinutes: 10, maxHours: 2 },
      manager: { idleMinutes: 45, maxHours: 12 },
      customer_admin: { idleMinutes: 480, maxHours: 24 },
      customer: { idleMinutes: 480, maxHours: 168 },
    });
    expect(() => loadConfig({ SESSION_IDLE_MINUTES_MANAGER: '0' })).toThrow(
      /SESSION_IDLE_MINUTES_MANAGER/,
    );
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        PORT: 'eighty',
        QUEUE_PREFIX: 'a:b',
        MAIL_FROM: 'nobody',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['DATABASE_URL', 'PORT', 'QUEUE_PREFIX', 'MAIL_FROM'])
      expect(message).toContain(name);
    expect(message).toContain('QUEUE_PREFIX may hold letters');
  });

  it('LOG_LEVEL is info and HOST unset (every interface) unless given', () => {
    const c = loadConfig({});
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.HOST).toBeUndefined();
    expect(c.listenHost).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['::', '::'],
    ['[::1]', '::1'],
    ['localhost', 'localhost'],
    ['api.internal.example', 'api.internal.example'],
  ])('takes HOST %j (listens on %j)', (value, listen) => {
    expect(loadConfig({ HOST: value }).listenHost).toBe(listen);
  });

  it.each([
    ['HOST', 'not a host'],
    ['HOST', 'http://example.com'],
    ['HOST', '-leading.dash'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'INFO'],
  ])('refuses %s=%j, saying what it may be', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=.*${name} must be`));
  });
});
