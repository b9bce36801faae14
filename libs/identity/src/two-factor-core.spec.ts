import { randomBytes } from 'node:crypto';
import {
  isTotpShaped,
  newRecoveryCodes,
  normalizeRecoveryCode,
  openSecret,
  sealSecret,
  stepAt,
  totpCode,
  verifyTotp,
} from './two-factor-core';

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (s: string) => new Date(s);

describe('TOTP (RFC 6238)', () => {
  it.each([
    ['1970-01-01T00:00:59Z', '287082'],
    ['2005-03-18T01:58:29Z', '081804'],
    ['2009-02-13T23:31:30Z', '005924'],
    ['2033-05-18T03:33:20Z', '279037'],
  ])('the code at %s is %s (the RFC’s vectors, 6 digits)', (when, code) => {
    expect(totpCode(RFC_SECRET, at(when))).toBe(code);
  });

  const now = at('2026-01-05T10:00:15Z'); // step start 10:00:00
  const code = (offsetSeconds: number) =>
    totpCode(RFC_SECRET, new Date(now.getTime() + offsetSeconds * 1000));
  it.each([
    ['this step', 0, null, { ok: true, step: stepAt(now) }],
    ['the step before (−30 s)', -30, null, { ok: true, step: stepAt(now) - 1 }],
    ['the step after (+30 s)', 30, null, { ok: true, step: stepAt(now) + 1 }],
    ['two steps before', -60, null, { ok: false, reason: 'wrong' }],
    ['two steps after', 60, null, { ok: false, reason: 'wrong' }],
    ['this step, already used', 0, stepAt(now), { ok: false, reason: 'replayed' }],
    ['an earlier step than the last used', -30, stepAt(now), { ok: false, reason: 'replayed' }],
    ['a later step than the last used', 30, stepAt(now), { ok: true, step: stepAt(now) + 1 }],
  ] as const)('a code of %s: %j', (_, offset, last, verdict) => {
    expect(verifyTotp(RFC_SECRET, code(offset), now, last)).toEqual(verdict);
  });

  it.each(['12345', '1234567', 'abcdef', ''])('%j is malformed', (c) => {
    expect(verifyTotp(RFC_SECRET, c, now, null)).toEqual({ ok: false, reason: 'malformed' });
  });
  it('accepts spaces inside a code', () => {
    const c = code(0);
    expect(verifyTotp(RFC_SECRET, `${c.slice(0, 3)} ${c.slice(3)}`, now, null).ok).toBe(true);
    expect(isTotpShaped(`${c.slice(0, 3)} ${c.slice(3)}`)).toBe(true);
  });
});

describe('recovery codes', () => {
  it('are ten different codes of the form xxxxx-xxxxx', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[2-9a-z]{5}-[2-9a-z]{5}$/);
    for (const c of codes) expect(isTotpShaped(c)).toBe(false);
  });
  it.each([
    ['ABCDE-FGHJK', 'abcde-fghjk'],
    ['abcdefghjk', 'abcde-fghjk'],
    [' abcde fghjk ', 'abcde-fghjk'],
  ])('%j is typed as %j', (typed, stored) => expect(normalizeRecoveryCode(typed)).toBe(stored));
});

describe('sealed secrets', () => {
  const key = randomBytes(32);
  it('round-trips under a key, and the stored form does not hold the secret', () => {
    const sealed = sealSecret(RFC_SECRET, key);
    expect(sealed).toMatch(/^gcm:/);
    expect(sealed).not.toContain(RFC_SECRET);
    expect(openSecret(sealed, key)).toBe(RFC_SECRET);
  });
  it('refuses another key', () => {
    expect(() => openSecret(sealSecret(RFC_SECRET, key), randomBytes(32))).toThrow();
  });
  it('never stores it plain: sealing needs a 32-byte key', () => {
    expect(() => sealSecret(RFC_SECRET, Buffer.alloc(0))).toThrow(/32 bytes/);
  });
  it('opens a secret stored plain before encryption was always on (sealed at boot)', () => {
    expect(openSecret(`plain:${RFC_SECRET}`, key)).toBe(RFC_SECRET);
  });
});
