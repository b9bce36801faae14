/**
 * The IMAP poller against a real Dovecot (Debian's dovecot-imapd, started per test file): the test
 * fills the mailbox, the poller stores and files each mail with the mailbox's internal date as the
 * time of receipt, and moves it to the processed folder once filed; nothing is deleted.
 */
import { ImapPoller } from '@app/mail';
import { ImapFlow } from 'imapflow';
import { Dovecot, startDovecot } from '../support/dovecot';
import { MailStack, startMailStack, until } from './mail-harness';

jest.setTimeout(60_000);

describe('e-mail channel: IMAP poller on Dovecot', () => {
  let s: MailStack;
  let dovecot: Dovecot;
  let client: ImapFlow;

  beforeAll(async () => {
    dovecot = await startDovecot();
    s = await startMailStack({ MAIL_MAX_MESSAGE_BYTES: String(64 * 1024) });
    client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await client.connect();
  });
  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await s?.stop();
    await dovecot?.stop();
  });

  const count = async (box: string) => {
    const st = await client.status(box, { messages: true });
    return st ? (st.messages ?? 0) : 0;
  };

  it('files mail from the mailbox with the internal date as receipt, then moves it to the processed folder', async () => {
    const receivedAt = new Date('2024-03-12T10:15:00Z'); // Tue: a severity 1 is due 11:15
    await client.append(
      'INBOX',
      'From: Alice <alice@acme.example>\r\nTo: support@help.example\r\nSubject: [S1] Site down\r\nDate: Sun, 1 Jan 2023 00:00:00 +0000\r\nMessage-ID: <imap-1@acme.example>\r\n\r\nEverything is down.\r\n',
      [],
      receivedAt,
    );
    await client.append(
      'INBOX',
      'From: alice@acme.example\r\nTo: support@help.example\r\nSubject: Automatic reply: away\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <imap-2@acme.example>\r\n\r\nAway.\r\n',
      [],
      receivedAt,
    );
    const big = `From: alice@acme.example\r\nTo: support@help.example\r\nSubject: huge\r\nMessage-ID: <imap-3@acme.example>\r\n\r\n${'x'.repeat(100 * 1024)}\r\n`;
    await client.append('INBOX', big, [], receivedAt);
    expect(await count('INBOX')).toBe(3);

    const poller = s.worker.get(ImapPoller);
    await poller.start({
      url: dovecot.url,
      mailbox: 'INBOX',
      processedMailbox: 'Processed',
      pollMs: 60_000,
      tlsInsecure: false,
    });

    const ticket = await until(
      'the ticket from IMAP',
      async () => (await s.db.query(`SELECT * FROM tickets WHERE subject = 'Site down'`))[0],
    );
    expect(ticket.channel).toBe('email');
    expect(ticket.severity).toBe(1);
    expect(new Date(ticket.received_at).toISOString()).toBe('2024-03-12T10:15:00.000Z');
    const [target] = await s.db.query(
      `SELECT due_at FROM ticket_targets WHERE ticket_id = $1 AND metric = 'first_response'`,
      [ticket.id],
    );
    expect(new Date(target.due_at).toISOString()).toBe('2024-03-12T11:15:00.000Z');

    await until(
      'the mailbox to be emptied into Processed',
      async () => (await count('INBOX')) === 0 && (await count('Processed')) === 3,
    );
    const rows = await s.db.query(
      `SELECT message_id, source, status, reason, too_large, received_at FROM inbound_mails ORDER BY message_id`,
    );
    expect(
      rows.map((r: { message_id: string; status: string; source: string }) => [
        r.message_id,
        r.source,
        r.status,
      ]),
    ).toEqual([
      ['imap-1@acme.example', 'imap', 'filed'],
      ['imap-2@acme.example', 'imap', 'ignored'],
      [null, 'imap', 'review'],
    ]);
    expect(rows[2]).toMatchObject({ too_large: true, reason: 'over the size limit' });
    expect(
      rows.every(
        (r: { received_at: Date }) =>
          new Date(r.received_at).toISOString() === '2024-03-12T10:15:00.000Z',
      ),
    ).toBe(true);

    const ack = await s.sink.waitFor((m) => m.envelopeTo.includes('alice@acme.example'));
    expect(ack.parsed.subject).toMatch(/^\[HD-\d{6}\] Site down$/);
    expect(ack.parsed.text).toContain('We will answer by 2024-03-12 11:15:00 UTC');
    // Only the acknowledgement goes to a customer: nothing to the auto-reply, nothing for the over-size
    // mail (the admins get the SLA alarms of a ticket received in 2024).
    expect(
      s.sink.mails
        .filter((m) => !m.envelopeTo.includes('admin@help.example'))
        .map((m) => m.envelopeTo),
    ).toEqual([['alice@acme.example']]);
  });

  it('new mail arriving later is picked up without waiting for the poll interval (IDLE)', async () => {
    await client.append(
      'INBOX',
      'From: bob@acme.example\r\nTo: support@help.example\r\nSubject: Later\r\nMessage-ID: <imap-4@acme.example>\r\n\r\nLater.\r\n',
    );
    // The poll interval is a minute here: only IDLE can bring it in within 5 s.
    await until(
      'the later mail to be filed',
      async () => (await s.db.query(`SELECT 1 FROM tickets WHERE subject = 'Later'`))[0],
      5_000,
    );
    await until(
      'it to be moved',
      async () => (await count('INBOX')) === 0 && (await count('Processed')) === 4,
    );
  });
});
