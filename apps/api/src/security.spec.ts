import { originVerdict } from './security';

const ours = 'https://desk.example';
const base = { allowed: [ours, 'http://127.0.0.1:3000'], hasSessionCookie: true };

describe('origin check of state-changing requests', () => {
  it.each([
    ['a read', { method: 'GET', origin: 'https://evil.example' }, true],
    ['a write from our page', { method: 'POST', origin: ours }, true],
    [
      'a write from the server as addressed',
      { method: 'PATCH', origin: 'http://127.0.0.1:3000' },
      true,
    ],
    ['a write from another site', { method: 'POST', origin: 'https://evil.example' }, false],
    [
      'a delete from another port',
      { method: 'DELETE', origin: 'https://desk.example:8443' },
      false,
    ],
    ['a write from an opaque origin', { method: 'PUT', origin: 'null' }, false],
    ['a cookie write naming no origin', { method: 'POST' }, false],
    [
      'a cookie write with our Referer only',
      { method: 'POST', referer: `${ours}/desk/tickets/1` },
      true,
    ],
    [
      'a cookie write with a foreign Referer only',
      { method: 'POST', referer: 'https://evil.example/x' },
      false,
    ],
    [
      'Origin wins over Referer',
      { method: 'POST', origin: 'https://evil.example', referer: `${ours}/` },
      false,
    ],
    [
      'a bearer-token write from anywhere',
      { method: 'POST', authorization: 'Bearer abc', origin: 'https://evil.example' },
      true,
    ],
    [
      'an empty bearer is no token',
      { method: 'POST', authorization: 'Bearer ', origin: 'https://evil.example' },
      false,
    ],
    [
      'no session, no origin (a script, a mail provider)',
      { method: 'POST', hasSessionCookie: false },
      true,
    ],
    [
      'no session, foreign origin (login CSRF)',
      { method: 'POST', hasSessionCookie: false, origin: 'https://evil.example' },
      false,
    ],
    [
      'no session, a browser says cross-site',
      { method: 'POST', hasSessionCookie: false, fetchSite: 'cross-site' },
      false,
    ],
  ])('%s: allowed %s', (_what, req, ok) => {
    expect(originVerdict({ ...base, ...req }).ok).toBe(ok);
  });
});
