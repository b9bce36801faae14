/**
 * The SMTP listener offers STARTTLS when a certificate is configured (a self-signed one made with
 * openssl here), and mail sent over the upgraded connection is filed like any other.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { MailStack, startMailStack, until } from './mail-harness';

jest.setTimeout(60_000);

describe('e-mail channel: STARTTLS', () => {
  let s: MailStack;
  const dir = mkdtempSync(join(tmpdir(), 'hd-tls-'));

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=help.example',
      ],
      { stdio: 'ignore' },
    );
    s = await startMailStack(
      {
        MAIL_SMTP_TLS_KEY_FILE: join(dir, 'key.pem'),
        MAIL_SMTP_TLS_CERT_FILE: join(dir, 'cert.pem'),
      },
      { api: false },
    );
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades the connection and files the mail', async () => {
    const smtp = createTransport({
      host: '127.0.0.1',
      port: s.smtpPort,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    });
    const sent = await smtp.sendMail({
      from: 'alice@acme.example',
      to: 'support@help.example',
      subject: 'over TLS',
      text: 'secret printer',
    });
    smtp.close();
    expect(sent.accepted).toEqual(['support@help.example']);
    const row = await until(
      'filed',
      async () =>
        (
          await s.db.query(
            `SELECT status FROM inbound_mails WHERE subject = 'over TLS' AND status = 'filed'`,
          )
        )[0],
    );
    expect(row.status).toBe('filed');
  });

  it('a second worker on the same host does not crash when the SMTP port is taken; it just does not listen', async () => {
    const { InboundStore, SmtpListener, loadMailConfig } = await import('@app/mail');
    const second = new SmtpListener(
      loadMailConfig({ MAIL_SMTP_PORT: String(s.smtpPort), MAIL_SMTP_HOST: '127.0.0.1' }),
      s.worker.get(InboundStore),
    );
    await expect(second.onApplicationBootstrap()).resolves.toBeUndefined();
    expect(second.port).toBe(0);
    await second.onApplicationShutdown();
  });

  it('a configuration with only half of the key pair is refused at boot', async () => {
    const { loadMailConfig } = await import('@app/mail');
    expect(() => loadMailConfig({ MAIL_SMTP_TLS_KEY_FILE: join(dir, 'key.pem') })).toThrow(
      'MAIL_SMTP_TLS_KEY_FILE and MAIL_SMTP_TLS_CERT_FILE must be given together',
    );
  });
});
