/**
 * A real Dovecot IMAP server for tests (Debian's `dovecot-imapd`), started as a foreground child
 * process with its own config, port, Maildir folder and passwd-file user in a temp dir. `stop()`
 * ends it and removes the folder. Needs `apt-get install -y dovecot-imapd` (see .ci/run).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** imap://user:password@127.0.0.1:port */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

const BINARY = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function idOf(name: string, flag: '-u' | '-g'): number | null {
  try {
    return Number(execFileSync('id', [flag, name]).toString().trim());
  } catch {
    return null;
  }
}

async function waitForBanner(
  port: number,
  child: ChildProcess,
  log: () => string,
  timeoutMs = 15_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port });
      c.once('data', (d) => {
        c.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not answer on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startDovecot(
  opts: { user?: string; password?: string } = {},
): Promise<Dovecot> {
  if (!BINARY) throw new Error('dovecot is not installed: apt-get install -y dovecot-imapd');
  const user = opts.user ?? 'support';
  const password = opts.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(join(tmpdir(), 'hd-dovecot-'));
  const port = await freePort();
  // Dovecot will not give mail access to uid 0: as root the mailbox belongs to the `dovecot` user.
  const root = userInfo().uid === 0;
  const uid = root ? (idOf('dovecot', '-u') ?? 65534) : userInfo().uid;
  const gid = root ? (idOf('dovecot', '-g') ?? 65534) : userInfo().gid;
  const me = userInfo().username;
  chmodSync(dir, 0o755); // the auth and imap processes run as other users
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
  if (root) chownSync(join(dir, 'mail'), uid, gid);
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`);
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : userInfo().username}
default_login_user = ${root ? 'dovenull' : me}
first_valid_uid = ${Math.min(uid, 1000)}
mail_location = maildir:${dir}/mail/%u
mail_plugins =
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
  writeFileSync(join(dir, 'dovecot.conf'), conf);
  const child = spawn(BINARY, ['-F', '-c', join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const log = () => {
    let file = '';
    try {
      file = readFileSync(join(dir, 'dovecot.log'), 'utf8');
    } catch {
      // no log yet
    }
    return `${out}\n${file}`.trim().slice(-2000);
  };
  try {
    await waitForBanner(port, child, log);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    dir,
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
