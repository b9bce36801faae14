import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { totpEncryptionKey } from './totp-key';

describe('the TOTP encryption key', () => {
  const KEY = randomBytes(32).toString('base64');
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'totp-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is required in production: the boot fails naming TOTP_ENCRYPTION_KEY', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /TOTP_ENCRYPTION_KEY is required when NODE_ENV=production/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', TOTP_ENCRYPTION_KEY: KEY }).TOTP_ENCRYPTION_KEY,
    ).toBe(KEY);
    expect(() => loadConfig({ NODE_ENV: 'production', TOTP_ENCRYPTION_KEY: 'short' })).toThrow(
      /TOTP_ENCRYPTION_KEY must be 32 bytes in base64/,
    );
  });

  it('is optional elsewhere', () => {
    for (const NODE_ENV of ['development', 'test'])
      expect(loadConfig({ NODE_ENV }).TOTP_ENCRYPTION_KEY).toBeUndefined();
  });

  it('is the configured one when set', () => {
    const config = loadConfig({ TOTP_ENCRYPTION_KEY: KEY, TOTP_KEY_FILE: join(dir, 'k') });
    expect(totpEncryptionKey(config).toString('base64')).toBe(KEY);
    expect(() => statSync(join(dir, 'k'))).toThrow();
  });

  it('otherwise is made once in TOTP_KEY_FILE (owner-only) and the same at every later boot', () => {
    const file = join(dir, 'sub', 'totp.key');
    const config = loadConfig({ TOTP_KEY_FILE: file });
    const first = totpEncryptionKey(config);
    expect(first).toHaveLength(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(totpEncryptionKey(config)).toEqual(first);
    expect(totpEncryptionKey(loadConfig({ TOTP_KEY_FILE: file }))).toEqual(first);
  });

  it('refuses a key file that holds no key', () => {
    const file = join(dir, 'bad.key');
    writeFileSync(file, 'not a key');
    expect(() => totpEncryptionKey(loadConfig({ TOTP_KEY_FILE: file }))).toThrow(/TOTP_KEY_FILE/);
  });
});
