import { Secret, TOTP } from 'otpauth';

/** What an authenticator app shows for `secret`, `steps` time steps (30 s) from now. */
export function appCode(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + steps * 30_000,
  });
}

/**
 * Waits, if needed, until at least `seconds` remain of the current 30 s step, so that the codes of
 * the step before, this one and the next all stay valid for a while.
 */
export async function freshStep(seconds = 10): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 200));
}
