/**
 * MAIL_UNKNOWN_SENDER=refuse: a sender no organisation knows gets a polite refusal instead of a
 * triage ticket; robots still get nothing; the refusal is rate-limited like an acknowledgement.
 */
import { createTransport, Transporter } from 'nodemailer';
import { MailStack, processedMail, startMailStack } from './mail-harness';

jest.setTimeout(60_000);

describe('e-mail channel: unknown senders refused politely', () => {
  let s: MailStack;
  let smtp: Transporter;

  beforeAll(async () => {
    s = await startMailStack(
      { MAIL_UNKNOWN_SENDER: 'refuse', MAIL_ACKS_PER_SENDER_PER_HOUR: '1' },
      { api: false },
    );
    smtp = createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    smtp?.close();
    await s?.stop();
  });

  const processed = (messageId: string) => processedMail(s, messageId);

  it('answers a stranger once per hour with a refusal, opens no ticket', async () => {
    const first = await smtp.sendMail({
      from: 'stranger@nowhere.example',
      to: 'support@help.example',
      subject: 'Can you help?',
      text: 'hi',
    });
    expect(await processed(first.messageId)).toMatchObject({
      status: 'ignored',
      reason: 'unknown sender stranger@nowhere.example: politely refused',
    });
    const refusal = await s.sink.waitFor((m) => m.envelopeTo.includes('stranger@nowhere.example'));
    expect(refusal.parsed.subject).toBe('Re: Can you help?');
    expect(refusal.parsed.text).toContain('no ticket was opened');
    expect(refusal.parsed.inReplyTo).toBe(first.messageId);

    const second = await smtp.sendMail({
      from: 'stranger@nowhere.example',
      to: 'support@help.example',
      subject: 'Again?',
      text: 'hi',
    });
    expect((await processed(second.messageId)).reason).toBe(
      'unknown sender stranger@nowhere.example: refusal not sent (rate limit)',
    );
    expect((await s.db.query(`SELECT count(*)::int AS n FROM tickets`))[0].n).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      s.sink.mails.filter((m) => m.envelopeTo.includes('stranger@nowhere.example')),
    ).toHaveLength(1);
  });

  it('a robot from an unknown domain gets no refusal', async () => {
    const sent = await smtp.sendMail({
      from: 'robot@elsewhere.example',
      to: 'support@help.example',
      subject: 'Newsletter',
      text: 'x',
      headers: { 'List-Id': '<news.elsewhere.example>', Precedence: 'list' },
    });
    expect(await processed(sent.messageId)).toMatchObject({
      status: 'ignored',
      sender_kind: 'list',
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      s.sink.mails.filter((m) => m.envelopeTo.includes('robot@elsewhere.example')),
    ).toHaveLength(0);
  });
});
