/**
 * Two faults of the e-mail channel seen with real-world mail:
 * - inline parts (a mail that is one image; Apple Mail's inline PNGs and PDF between paragraphs)
 *   were stored but missing from the ticket's attachments, which is all the web app shows;
 * - a forged bounce about a mail we never sent marked the address bouncing, and that customer's
 *   next ticket got no acknowledgement.
 */
import { FilingService } from '@app/mail';
import { createTransport, Transporter } from 'nodemailer';
import { MailStack, processedMail, startMailStack, until } from './mail-harness';

jest.setTimeout(60_000);

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
const b64 = (b: Buffer) => b.toString('base64').replace(/(.{76})/g, '$1\r\n');

/** A mail whose whole body is one image, as phones send a photo. */
const oneImage = (id: string) =>
  [
    'From: Bob Example <bob@acme.example>',
    'To: support@help.example',
    'Subject: Photo of the error',
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: image/png; name="IMG_0042.png"',
    'Content-Disposition: inline; filename="IMG_0042.png"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(PNG),
    '',
  ].join('\r\n');

/** Apple Mail: text, an inline PNG, more text, another inline PNG, an inline PDF. */
const appleMail = (id: string) => {
  const part = (type: string, name: string, body: Buffer) => [
    '--Apple-Mail=_B',
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: inline; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    b64(body),
  ];
  const text = (t: string) => [
    '--Apple-Mail=_B',
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit',
    '',
    t,
  ];
  return [
    'From: Bob Example <bob@acme.example>',
    'To: support@help.example',
    'Subject: Screens and the report',
    `Message-ID: <${id}>`,
    'Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))',
    'X-Mailer: Apple Mail (2.3774.600.62)',
    'Content-Type: multipart/mixed; boundary="Apple-Mail=_B"',
    '',
    ...text('Here is the first screen:'),
    ...part('image/png', 'Screenshot 1.png', PNG),
    ...text('and the second:'),
    ...part('image/png', 'Screenshot 2.png', Buffer.concat([PNG, Buffer.from([1])])),
    ...text('The report is attached.'),
    ...part('application/pdf', 'Report.pdf', Buffer.from('%PDF-1.4 report')),
    '--Apple-Mail=_B--',
    '',
  ].join('\r\n');
};

describe('e-mail channel: every part on the ticket, forged bounces ignored', () => {
  let s: MailStack;
  let smtp: Transporter;
  let bob: string;

  beforeAll(async () => {
    s = await startMailStack();
    smtp = createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
    bob = await s.login('bob@acme.example');
  });
  afterAll(async () => {
    smtp?.close();
    await s?.stop();
  });

  const attachmentsOf = async (ticketId: string) => {
    const res = await fetch(`${s.apiUrl}/api/tickets/${ticketId}/attachments`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { filename: string; size: number }[])
      .map((a) => a.filename)
      .sort();
  };
  const send = async (raw: string, id: string) => {
    await smtp.sendMail({
      envelope: { from: 'bob@acme.example', to: 'support@help.example' },
      raw,
    });
    const row = await processedMail(s, id);
    expect(row.status).toBe('filed');
    return row as { id: string; ticket_id: string };
  };
  const fileAgain = async (inboundId: string) => {
    await s.db.query(
      `UPDATE inbound_mails SET status = 'received', ticket_id = NULL WHERE id = $1`,
      [inboundId],
    );
    return s.worker.get(FilingService).file(inboundId);
  };

  it('a mail that is one image: the image is on the ticket, once even when filed again', async () => {
    const row = await send(oneImage('photo-1@bob.example'), 'photo-1@bob.example');
    expect(await attachmentsOf(row.ticket_id)).toEqual(['IMG_0042.png']);
    await fileAgain(row.id);
    expect(await attachmentsOf(row.ticket_id)).toEqual(['IMG_0042.png']);
  });

  it("Apple Mail's inline PNGs and PDF are all on the ticket, once even when filed again", async () => {
    const row = await send(appleMail('apple-1@bob.example'), 'apple-1@bob.example');
    const all = ['Report.pdf', 'Screenshot 1.png', 'Screenshot 2.png'];
    expect(await attachmentsOf(row.ticket_id)).toEqual(all);
    await fileAgain(row.id);
    expect(await attachmentsOf(row.ticket_id)).toEqual(all);
  });

  const dsn = (recipient: string, originalMessageId: string) =>
    [
      'From: MAILER-DAEMON@mx.acme.example (Mail Delivery System)',
      'To: helpdesk@help.example',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn-${Math.random().toString(36).slice(2)}@mx.acme.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'I could not deliver your message.',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.acme.example',
      '',
      `Final-Recipient: rfc822; ${recipient}`,
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${originalMessageId}>`,
      `To: ${recipient}`,
      '--B--',
      '',
    ].join('\r\n');
  const bouncing = async (address: string) =>
    (await s.db.query(`SELECT 1 FROM mail_recipients WHERE address = $1 AND bouncing`, [address]))
      .length > 0;
  const bounce = async (raw: string) => {
    const before = Number((await s.db.query(`SELECT count(*) AS n FROM inbound_mails`))[0].n);
    await smtp.sendMail({ envelope: { from: '', to: 'support@help.example' }, raw });
    await until('the bounce to be dealt with', async () => {
      const [r] = await s.db.query(
        `SELECT count(*) FILTER (WHERE status <> 'received') AS done, count(*) AS n FROM inbound_mails`,
      );
      return Number(r.n) > before && r.done === r.n;
    });
  };
  const newTicketIsAcknowledged = async (subject: string) => {
    const before = s.sink.mails.length;
    const sent = await smtp.sendMail({
      from: 'Alice Example <alice@acme.example>',
      to: 'support@help.example',
      subject,
      text: 'A new problem.',
    });
    const row = await processedMail(s, sent.messageId);
    expect(row.status).toBe('filed');
    const [ack] = await s.db.query(
      `SELECT message_id FROM outbound_mails WHERE ticket_id = $1 AND kind = 'acknowledgement'`,
      [row.ticket_id],
    );
    if (ack) await s.sink.waitFor((m) => m.parsed.messageId === ack.message_id);
    expect(s.sink.mails.length).toBeGreaterThanOrEqual(before);
    return ack as { message_id: string } | undefined;
  };

  it('a bounce about a mail we never sent marks nobody; the next ticket is acknowledged', async () => {
    await bounce(dsn('alice@acme.example', 'never-sent-by-us@forged.example'));
    expect(await bouncing('alice@acme.example')).toBe(false);
    expect(await newTicketIsAcknowledged('Forged bounce before me')).toBeDefined();
  });

  it('a bounce naming a mail we sent to someone else marks neither of them', async () => {
    const [ours] = await s.db.query(
      `SELECT message_id FROM outbound_mails WHERE kind = 'acknowledgement' AND 'bob@acme.example' = ANY(to_addresses) LIMIT 1`,
    );
    await bounce(dsn('alice@acme.example', ours.message_id.replace(/^<|>$/g, '')));
    expect(await bouncing('alice@acme.example')).toBe(false);
    expect(await bouncing('bob@acme.example')).toBe(false);
  });

  it('a bounce naming the mail we sent marks its recipient: no more acknowledgements to it', async () => {
    const ack = await newTicketIsAcknowledged('Real bounce after me');
    await bounce(dsn('alice@acme.example', ack!.message_id.replace(/^<|>$/g, '')));
    expect(await bouncing('alice@acme.example')).toBe(true);
    expect(await newTicketIsAcknowledged('After the real bounce')).toBeUndefined();
  });
});
