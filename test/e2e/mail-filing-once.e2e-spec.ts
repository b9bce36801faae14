/**
 * A mail filed again, as after a crash between making its ticket (or message) and marking the mail
 * filed: the job runs once more. The customer must not get a second ticket, a second message or a
 * second acknowledgement.
 */
import { FilingService } from '@app/mail';
import { createTransport, Transporter } from 'nodemailer';
import { MailStack, processedMail, startMailStack } from './mail-harness';

jest.setTimeout(30_000);

describe('e-mail channel: a mail filed again changes nothing', () => {
  let s: MailStack;
  let smtp: Transporter;

  beforeAll(async () => {
    s = await startMailStack();
    smtp = createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    smtp?.close();
    await s?.stop();
  });

  const filed = async (messageId: string) => {
    const row = await processedMail(s, messageId);
    expect(row.status).toBe('filed');
    return row as { id: string; ticket_id: string };
  };
  /** As if the worker died after filing, before the mail was marked filed; then its job runs again. */
  const fileAgain = async (inboundId: string) => {
    await s.db.query(
      `UPDATE inbound_mails SET status = 'received', ticket_id = NULL WHERE id = $1`,
      [inboundId],
    );
    return s.worker.get(FilingService).file(inboundId);
  };
  const count = async (sql: string, args: unknown[]) => Number((await s.db.query(sql, args))[0].n);

  it('a new ticket: the same ticket, one acknowledgement', async () => {
    const sent = await smtp.sendMail({
      from: 'Bob Example <bob@acme.example>',
      to: 'support@help.example',
      subject: 'VPN drops every hour',
      text: 'Since Monday.',
    });
    const first = await filed(sent.messageId);
    await s.sink.waitFor((m) => m.parsed.subject?.includes('VPN drops every hour') === true);

    const again = await fileAgain(first.id);

    expect(again).toMatchObject({ status: 'filed', ticketId: first.ticket_id });
    expect(
      await count(`SELECT count(*) AS n FROM tickets WHERE subject = 'VPN drops every hour'`, []),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*) AS n FROM ticket_history WHERE ticket_id = $1 AND field = 'created'`,
        [first.ticket_id],
      ),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*) AS n FROM outbound_mails WHERE ticket_id = $1 AND kind = 'acknowledgement'`,
        [first.ticket_id],
      ),
    ).toBe(1);
    const [row] = await s.db.query(`SELECT status, ticket_id FROM inbound_mails WHERE id = $1`, [
      first.id,
    ]);
    expect(row).toEqual({ status: 'filed', ticket_id: first.ticket_id });
  });

  it('a reply: one message on the ticket', async () => {
    const [ticket] = await s.db.query(
      `SELECT id, number FROM tickets WHERE subject = 'VPN drops every hour'`,
    );
    const reference = `HD-${String(ticket.number).padStart(6, '0')}`;
    const sent = await smtp.sendMail({
      from: 'bob@acme.example',
      to: 'support@help.example',
      subject: `Re: [${reference}] VPN drops every hour`,
      text: 'It dropped again at 10:00.',
    });
    const reply = await filed(sent.messageId);
    expect(reply.ticket_id).toBe(ticket.id);

    const again = await fileAgain(reply.id);

    expect(again).toMatchObject({ status: 'filed', ticketId: ticket.id, action: 'reply' });
    expect(
      await count(
        `SELECT count(*) AS n FROM ticket_messages WHERE ticket_id = $1 AND body LIKE 'It dropped again%'`,
        [ticket.id],
      ),
    ).toBe(1);
  });
});
