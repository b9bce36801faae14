import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AppConfig } from './app-config';

const KEY_TEXT = /^[A-Za-z0-9+/]{43}=$/;

/**
 * The key that encrypts the TOTP secrets at rest (32 bytes): TOTP_ENCRYPTION_KEY when set (required
 * in production, see AppConfig); otherwise the key in TOTP_KEY_FILE (default `.data/totp.key`, outside
 * git), made once with 32 random bytes when the file is missing. Processes that start together agree:
 * the file is written under a temporary name and linked into place, so the first one wins.
 */
export function totpEncryptionKey(config: AppConfig): Buffer {
  if (config.TOTP_ENCRYPTION_KEY) return Buffer.from(config.TOTP_ENCRYPTION_KEY, 'base64');
  const file = resolve(config.TOTP_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  const made = readKeyFile(file);
  if (!made) throw new Error(`TOTP_KEY_FILE ${file} does not hold a key`);
  return made;
}

function readKeyFile(file: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (!KEY_TEXT.test(text))
    throw new Error(
      `TOTP_KEY_FILE ${file} must hold 32 bytes in base64 (openssl rand -base64 32), as TOTP_ENCRYPTION_KEY`,
    );
  return Buffer.from(text, 'base64');
}
