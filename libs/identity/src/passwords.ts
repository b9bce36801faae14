import { dictionary } from '@zxcvbn-ts/language-common';
import * as argon2 from 'argon2';

/** argon2id with its own random salt in the encoded hash. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(
  hash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN = 12;
/** Accounts an admin creates (or whose password an admin sets) must change the password at sign-in. */
export const PASSWORD_MIN_WITH_FORCED_CHANGE = 8;
export const PASSWORD_MAX = 128;

let common: Set<string> | undefined;
/** The bundled list of the most common passwords (zxcvbn's, ~49,000), lower-cased. */
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common;
}

/**
 * What is wrong with a new password, or null (ASVS 6.2): long enough, not too long, not one of the
 * most common passwords, nor the account's e-mail address. No composition rules, no expiry.
 */
export function passwordProblem(
  password: string,
  opts: { field?: string; minLength?: number; email?: string } = {},
): string | null {
  const field = opts.field ?? 'password';
  const min = opts.minLength ?? PASSWORD_MIN;
  const length = [...password].length;
  if (length < min) return `${field} must be at least ${min} characters long`;
  if (length > PASSWORD_MAX) return `${field} must be at most ${PASSWORD_MAX} characters long`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim()))
    return `${field} is one of the most common passwords; choose another`;
  if (opts.email && lower === opts.email.trim().toLowerCase())
    return `${field} must not be your e-mail address`;
  return null;
}
