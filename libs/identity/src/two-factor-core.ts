/**
 * The pure part of two-factor authentication: TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s steps,
 * accepted within ±1 step and once only), recovery codes and the sealing of secrets at rest. Time
 * and keys come in as arguments.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totpOf = (secret: string, issuer = 'Helpdesk', label = 'user') =>
  new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  });

/** The `otpauth://totp/…` URI an authenticator app reads from the QR code. */
export const otpauthUri = (secret: string, issuer: string, label: string): string =>
  totpOf(secret, issuer, label).toString();

/** The time step (counter) of an instant. */
export const stepAt = (now: Date): number => Math.floor(now.getTime() / 1000 / TOTP_PERIOD);

/** The code of a secret at an instant (for tests and for showing what is expected). */
export const totpCode = (secret: string, now: Date): string =>
  totpOf(secret).generate({ timestamp: now.getTime() });

export type TotpVerdict =
  { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

/**
 * Is `code` the secret's code within ±1 step of `now`, and of a later step than the last one
 * accepted? The caller stores the step it returns, so the same code (or an earlier one) is refused.
 */
export function verifyTotp(
  secret: string,
  code: string,
  now: Date,
  lastStep: number | null,
): TotpVerdict {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'malformed' };
  const delta = totpOf(secret).validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = stepAt(now) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

/** Looks like a TOTP code (six digits, spaces allowed) rather than a recovery code. */
export const isTotpShaped = (code: string) => /^\d{6}$/.test(code.replace(/\s+/g, ''));

// No 0/O, 1/I/L: codes are read off paper.
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

/** Ten recovery codes, `xxxxx-xxxxx` (about 49 bits each). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const one = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return Array.from({ length: count }, () => {
    const c = one();
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
}

/** A recovery code as typed (any case, spaces or dashes) in its stored form. */
export function normalizeRecoveryCode(input: string): string {
  const c = input.toLowerCase().replace(/[\s-]+/g, '');
  return c.length === 10 ? `${c.slice(0, 5)}-${c.slice(5)}` : c;
}

/**
 * A TOTP secret as stored: AES-256-GCM under `key` (`gcm:<iv>:<tag>:<ciphertext>`, base64url). Rows
 * written before encryption was always on read `plain:<secret>`; they are opened, and sealed at boot.
 */
export function sealSecret(secret: string, key: Buffer): string {
  if (key.length !== 32) throw new Error('the TOTP encryption key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['gcm', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}

export function openSecret(stored: string, key: Buffer): string {
  if (stored.startsWith('plain:')) return stored.slice(6);
  const [kind, iv, tag, data] = stored.split(':');
  if (kind !== 'gcm' || !key)
    throw new Error(
      'the TOTP secret does not open with this key (TOTP_ENCRYPTION_KEY or TOTP_KEY_FILE changed?)',
    );
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(data, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}
