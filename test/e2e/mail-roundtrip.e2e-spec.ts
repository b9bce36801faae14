/**
 * The e-mail channel end to end: our SMTP listener driven by nodemailer, the real api and worker,
 * PostgreSQL and Redis, and a real SMTP sink catching what we send.
 */
import { createTransport, Transporter } from 'nodemailer';
import { randomUUID } from 'node:crypto';
import { openStream } from '../support/sse';
import { waitFor } from '../support/wait';
import { CapturedMail, MailStack, processedMail, startMailStack, until } from './mail-harness';

const bare = (id: string | undefined) => (id ?? '').replace(/^<|>$/g, '');

jest.setTimeout(30_000);

describe('e-mail channel: round trip', () => {
  let s: MailStack;
  let smtp: Transporter;
  let agentToken: string;
  let adminToken: string;

  beforeAll(async () => {
    s = await startMailStack({ MAIL_ACKS_PER_SENDER_PER_HOUR: '2' });
    smtp = createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
    agentToken = await s.login('agent@help.example');
    adminToken = await s.login('admin@help.example');
  });
  afterAll(async () => {
    smtp?.close();
    await s?.stop();
  });

  const api = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${s.apiUrl}/api${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const ticketsOf = async (email: string) =>
    s.db.query(
      `SELECT t.*, u.email FROM tickets t JOIN users u ON u.id = t.requester_id WHERE lower(u.email) = lower($1) ORDER BY t.number`,
      [email],
    );
  const inbound = (messageId: string) => processedMail(s, messageId);

  let ticket: { id: string; number: string };
  let ack: CapturedMail;
  let customerMessageId: string;

  it('a customer writes in and gets an acknowledgement with the reference, severity and due time', async () => {
    const before = Date.now();
    const sent = await smtp.sendMail({
      from: 'Alice Example <alice@acme.example>',
      to: 'support@help.example',
      subject: '[S2] Printer on fire',
      text: 'Our printer is on fire.\nPlease help.',
      date: new Date('2020-01-01T00:00:00Z'), // the sender's clock: not when we received it
    });
    customerMessageId = sent.messageId;
    ack = await s.sink.waitFor((m) => m.parsed.subject?.includes('Printer on fire') === true);
    const [t] = await ticketsOf('alice@acme.example');
    ticket = t;
    expect(t.channel).toBe('email');
    expect(t.severity).toBe(2);
    expect(t.subject).toBe('Printer on fire');
    expect(new Date(t.received_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(t.received_at).getTime()).toBeLessThanOrEqual(Date.now());
    const ref = `HD-${String(t.number).padStart(6, '0')}`;
    const [target] = await s.db.query(
      `SELECT due_at FROM ticket_targets WHERE ticket_id = $1 AND metric = 'first_response'`,
      [t.id],
    );

    expect(ack.envelopeTo).toEqual(['alice@acme.example']);
    expect(ack.parsed.subject).toBe(`[${ref}] Printer on fire`);
    expect(ack.parsed.text).toContain(`ticket ${ref}`);
    expect(ack.parsed.text).toContain('Severity: 2 (as tagged in your subject)');
    expect(ack.parsed.text).toContain('material degradation of performance for isolated users');
    expect(ack.parsed.text).toContain(
      // The mail gives the due time to the second, rounded down: "at the latest" never promises later.
      `We will answer by ${new Date(target.due_at)
        .toISOString()
        .replace(/\.\d{3}Z$/, ' UTC')
        .replace('T', ' ')}`,
    );
    expect(ack.parsed.text).toContain('[S1], [S2] or [S3]');
    expect(bare(ack.parsed.inReplyTo)).toBe(bare(customerMessageId));
    expect(ack.parsed.messageId).toMatch(/@help\.example>$/);
  });

  it('the acknowledgement is marked automatic and answers to the support address', () => {
    expect(ack.header('auto-submitted')).toBe('auto-replied');
    expect(ack.header('reply-to')).toContain('support@help.example');
  });

  it('the automatic acknowledgement does not stop the first-response clock', async () => {
    const [target] = await s.db.query(
      `SELECT state, stopped_at FROM ticket_targets WHERE ticket_id = $1 AND metric = 'first_response'`,
      [ticket.id],
    );
    expect(target).toEqual({ state: 'running', stopped_at: null });
  });

  let reply: CapturedMail;
  it('an agent replies in the helpdesk and the customer gets it by mail, threaded', async () => {
    const res = await api('POST', `/tickets/${ticket.id}/messages`, agentToken, {
      body: 'We sent the fire brigade.',
      visibility: 'public',
    });
    expect(res.status).toBe(201);
    reply = await s.sink.waitFor(
      (m) => m.parsed.text?.includes('We sent the fire brigade.') === true,
    );
    expect(reply.envelopeTo).toEqual(['alice@acme.example']);
    expect(reply.parsed.subject).toMatch(/^Re: \[HD-\d{6}\] Printer on fire$/);
    const refs = ([] as string[]).concat(reply.parsed.references ?? []).map(bare);
    expect(refs).toEqual(
      expect.arrayContaining([bare(customerMessageId), bare(ack.parsed.messageId)]),
    );
    expect(reply.header('auto-submitted')).toBeUndefined();
  });

  it('the customer answers from the mail client with the reply quoted; the answer lands in the same ticket', async () => {
    const sent = await smtp.sendMail({
      from: 'alice@acme.example',
      to: 'support@help.example',
      subject: `Re: ${reply.parsed.subject}`,
      inReplyTo: reply.parsed.messageId,
      references: [customerMessageId, reply.parsed.messageId!],
      text: `Thanks, it is out now.\n\nOn Monday, support wrote:\n> We sent the fire brigade.\n`,
    });
    const row = await inbound(sent.messageId);
    expect(row.status).toBe('filed');
    expect(row.ticket_id).toBe(ticket.id);
    expect(await ticketsOf('alice@acme.example')).toHaveLength(1);
    const msgs = await s.db.query(
      `SELECT body, channel FROM ticket_messages WHERE ticket_id = $1 ORDER BY created_at`,
      [ticket.id],
    );
    // the quoted tail of the answer is not repeated on the ticket (the raw mail keeps it)
    expect(msgs.map((m: { body: string }) => m.body)).toEqual([
      'We sent the fire brigade.',
      'Thanks, it is out now.',
    ]);
    expect(msgs[1].channel).toBe('email');
  });

  it('the customer is told by mail when the ticket is resolved', async () => {
    const res = await api('PATCH', `/tickets/${ticket.id}`, agentToken, {
      status: 'resolved',
      reason: 'fire is out',
    });
    expect(res.status).toBe(200);
    const m = await s.sink.waitFor((x) => (x.parsed.text ?? '').includes('is now resolved'));
    expect(m.envelopeTo).toEqual(['alice@acme.example']);
    expect(m.parsed.subject).toMatch(/^Re: \[HD-\d{6}\] Printer on fire$/);
  });

  it('an out-of-office reply to our acknowledgement creates nothing and sends nothing', async () => {
    const mailsBefore = s.sink.mails.length;
    const ticketsBefore = (await s.db.query(`SELECT count(*)::int AS n FROM tickets`))[0].n;
    const messagesBefore = (await s.db.query(`SELECT count(*)::int AS n FROM ticket_messages`))[0]
      .n;
    const sent = await smtp.sendMail({
      from: 'alice@acme.example',
      to: 'support@help.example',
      subject: `Out of office: ${ack.parsed.subject}`,
      inReplyTo: ack.parsed.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am away until Monday.',
    });
    const row = await inbound(sent.messageId);
    expect(row.status).toBe('ignored');
    expect(row.reason).toContain('Auto-Submitted: auto-replied');
    await new Promise((r) => setTimeout(r, 1500)); // give a wrong acknowledgement time to show up
    expect(s.sink.mails.length).toBe(mailsBefore);
    expect((await s.db.query(`SELECT count(*)::int AS n FROM tickets`))[0].n).toBe(ticketsBefore);
    expect((await s.db.query(`SELECT count(*)::int AS n FROM ticket_messages`))[0].n).toBe(
      messagesBefore,
    );
  });

  it('a bounce of our mail marks it failed and the recipient bouncing, visible on the ticket; nothing is answered', async () => {
    const mailsBefore = s.sink.mails.length;
    const dsn = [
      'From: MAILER-DAEMON@mx.acme.example (Mail Delivery System)',
      'To: helpdesk@help.example',
      'Subject: Undelivered Mail Returned to Sender',
      'Auto-Submitted: auto-replied',
      `Message-ID: <bounce-${Date.now()}@mx.acme.example>`,
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
      'Final-Recipient: rfc822; alice@acme.example',
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${reply.parsed.messageId}`,
      'To: alice@acme.example',
      '--B--',
      '',
    ].join('\r\n');
    await smtp.sendMail({ envelope: { from: '', to: 'support@help.example' }, raw: dsn });
    const view = await until('the bounce to show on the ticket', async () => {
      const res = await api('GET', `/mail/tickets/${ticket.id}`, agentToken);
      return res.body?.bouncingRecipients?.length ? res.body : null;
    });
    expect(view.bouncingRecipients).toEqual([
      expect.objectContaining({ address: 'alice@acme.example', lastBounceStatus: '5.1.1' }),
    ]);
    const delivery = view.deliveries.find(
      (d: { messageId: string }) => d.messageId === bare(reply.parsed.messageId),
    );
    expect(delivery).toMatchObject({
      status: 'failed',
      statusDetail: 'failed 5.1.1',
      recipient: 'alice@acme.example',
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.sink.mails.length).toBe(mailsBefore);
  });

  it("a reply from someone outside the ticket's organisation opens a new ticket linked to it", async () => {
    const ref = `HD-${String(ticket.number).padStart(6, '0')}`;
    const sent = await smtp.sendMail({
      from: 'gina@globex.example',
      to: 'support@help.example',
      subject: `Re: [${ref}] Printer on fire`,
      text: 'Ours is on fire too.',
    });
    const row = await inbound(sent.messageId);
    expect(row.status).toBe('filed');
    expect(row.reason).toBe('linked-ticket');
    expect(row.ticket_id).not.toBe(ticket.id);
    const [t] = await ticketsOf('gina@globex.example');
    expect(t.id).toBe(row.ticket_id);
    expect(t.description).toContain(`Written about ${ref}`);
    expect(
      (
        await s.db.query(
          `SELECT count(*)::int AS n FROM ticket_messages WHERE ticket_id = $1 AND body LIKE '%Ours is on fire%'`,
          [ticket.id],
        )
      )[0].n,
    ).toBe(0);
  });

  it("a new sender from a customer's domain becomes a customer user of it; the organisation's default severity is taken", async () => {
    const sent = await smtp.sendMail({
      from: 'Carl New <carl@acme.example>',
      to: 'support+whatever@help.example',
      subject: 'Hello',
      text: 'First time here.',
    });
    const row = await inbound(sent.messageId);
    expect(row.status).toBe('filed');
    const [user] = await s.db.query(
      `SELECT role, organization_id, name FROM users WHERE email = 'carl@acme.example'`,
    );
    expect(user).toEqual({ role: 'customer', organization_id: s.ids.acme, name: 'Carl New' });
    const ackToCarl = await s.sink.waitFor((m) => m.envelopeTo.includes('carl@acme.example'));
    expect(ackToCarl.parsed.text).toContain("Severity: 3 (your organisation's default)");
  });

  it('an unknown sender opens a ticket in the triage queue', async () => {
    const sent = await smtp.sendMail({
      from: 'stranger@nowhere.example',
      to: 'support@help.example',
      subject: 'Who are you?',
      text: 'Hi',
    });
    const row = await inbound(sent.messageId);
    expect(row.status).toBe('filed');
    const [t] = await s.db.query(
      `SELECT o.name FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE t.id = $1`,
      [row.ticket_id],
    );
    expect(t.name).toBe('Unknown senders (triage)');
  });

  it('a reply by the support+HD-… address joins the ticket', async () => {
    const ref = `HD-${String(ticket.number).padStart(6, '0')}`;
    const sent = await smtp.sendMail({
      from: 'alice@acme.example',
      to: `support+${ref}@help.example`,
      subject: 'one more thing',
      text: 'Alice again, same printer.',
    });
    const row = await inbound(sent.messageId);
    expect(row).toMatchObject({ status: 'filed', reason: 'reply', ticket_id: ticket.id });
  });

  it('a reply by e-mail to a chat joins its conversation, live in the open chat', async () => {
    const alice = await s.login('alice@acme.example');
    const chat = await api('POST', '/chats', alice, {
      clientMessageId: randomUUID(),
      severity: 2,
      body: 'Chatting about the invoice export',
    });
    expect(chat.status).toBe(201);
    const port = Number(new URL(s.apiUrl).port);
    const live = openStream(port, `/api/chats/${chat.body.ticketId}/stream`, {
      authorization: `Bearer ${alice}`,
    });
    try {
      const { body: t } = await api('GET', `/tickets/${chat.body.ticketId}`, alice);
      const sent = await smtp.sendMail({
        from: 'alice@acme.example',
        to: `support+${t.reference}@help.example`,
        subject: 'the export',
        text: 'Written later, by mail.',
      });
      const row = await inbound(sent.messageId);
      expect(row).toMatchObject({ status: 'filed', reason: 'reply', ticket_id: t.id });
      const said = await waitFor(
        () =>
          live.events.find(
            (e) => e.event === 'message' && /Written later, by mail\./.test(e.data.body),
          ),
        { what: 'the mailed reply in the chat stream' },
      );
      expect(said.data).toMatchObject({ channel: 'email', visibility: 'public' });
    } finally {
      live.close();
    }
  });

  it('the requester asks for another severity by replying with a tag; the agent sees the request', async () => {
    const ref = `HD-${String(ticket.number).padStart(6, '0')}`;
    const sent = await smtp.sendMail({
      from: 'alice@acme.example',
      to: 'support@help.example',
      subject: `Re: [${ref}] [S1] Printer on fire`,
      text: 'It spread to the server room.',
    });
    expect((await inbound(sent.messageId)).ticket_id).toBe(ticket.id);
    const bodies = (
      await s.db.query(
        `SELECT body FROM ticket_messages WHERE ticket_id = $1 ORDER BY created_at`,
        [ticket.id],
      )
    ).map((m: { body: string }) => m.body);
    expect(bodies.slice(-2)).toEqual([
      'It spread to the server room.',
      'Requested by mail: please change the severity from 2 to 1.',
    ]);
  });

  it('acknowledgements are rate-limited per sender per hour (limit 2 here)', async () => {
    for (let i = 1; i <= 3; i++) {
      const sent = await smtp.sendMail({
        from: 'bob@acme.example',
        to: 'support@help.example',
        subject: `Problem ${i}`,
        text: `problem ${i}`,
      });
      expect((await inbound(sent.messageId)).status).toBe('filed');
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      s.sink.mails.filter(
        (m) =>
          m.envelopeTo.includes('bob@acme.example') && /Problem \d/.test(m.parsed.subject ?? ''),
      ).length,
    ).toBe(2);
    expect(await ticketsOf('bob@acme.example')).toHaveLength(3);
  });

  it('a burst from one sender, filed together, gets no more acknowledgements than the limit', async () => {
    const burst = createTransport({
      host: '127.0.0.1',
      port: s.smtpPort,
      ignoreTLS: true,
      pool: true,
      maxConnections: 6,
    });
    const sent = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) =>
        burst.sendMail({
          from: 'dora@acme.example',
          to: 'support@help.example',
          subject: `Burst ${i}`,
          text: `burst ${i}`,
        }),
      ),
    );
    burst.close();
    for (const m of sent) expect((await inbound(m.messageId)).status).toBe('filed');
    await new Promise((r) => setTimeout(r, 1500));
    const acks = s.sink.mails.filter((m) => m.envelopeTo.includes('dora@acme.example'));
    expect(acks).toHaveLength(2);
    expect(await ticketsOf('dora@acme.example')).toHaveLength(6);
  });

  it('header injection: a subject with CR/LF is echoed on one line, only to the requester', async () => {
    const raw = [
      'From: carl@acme.example',
      'To: support@help.example',
      'Subject: =?UTF-8?B?' +
        Buffer.from('Hello\r\nBcc: victim@evil.example').toString('base64') +
        '?=',
      `Message-ID: <inject-${Date.now()}@acme.example>`,
      '',
      'body',
    ].join('\r\n');
    await s.db.query(`DELETE FROM mail_acknowledgements`); // the rate limit is not under test here
    await smtp.sendMail({
      envelope: { from: 'carl@acme.example', to: 'support@help.example' },
      raw,
    });
    const m = await s.sink.waitFor((x) => (x.parsed.subject ?? '').includes('Bcc: victim'));
    expect(m.envelopeTo).toEqual(['carl@acme.example']);
    expect(m.parsed.subject).toMatch(/^\[HD-\d{6}\] Hello Bcc: victim@evil\.example$/);
    expect(m.header('bcc')).toBeUndefined();
  });

  it('a From with two addresses goes to the review list and nobody is mailed', async () => {
    const before = s.sink.mails.length;
    const sent = await smtp.sendMail({
      envelope: { from: 'alice@acme.example', to: 'support@help.example' },
      raw: `From: alice@acme.example, victim@evil.example\r\nTo: support@help.example\r\nSubject: two\r\nMessage-ID: <two-${Date.now()}@x.example>\r\n\r\nbody\r\n`,
    });
    expect(sent.accepted).toEqual(['support@help.example']);
    const list = await until('the review list to show it', async () => {
      const res = await api('GET', '/mail/inbound?status=review', adminToken);
      return res.body.find((r: { subject: string }) => r.subject === 'two');
    });
    expect(list.reason).toContain('From holds 2 addresses');
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.sink.mails.length).toBe(before);
  });

  it('the SMTP listener refuses mail for other addresses and mail over the size limit (552)', async () => {
    await expect(
      smtp.sendMail({
        from: 'alice@acme.example',
        to: 'someone@else.example',
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      smtp.sendMail({
        from: 'alice@acme.example',
        to: 'support@help.example',
        subject: 'big',
        text: 'x'.repeat(300 * 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(
      (await s.db.query(`SELECT count(*)::int AS n FROM inbound_mails WHERE subject = 'big'`))[0].n,
    ).toBe(0);
  });

  it('mail from our own address is a loop: nothing filed, nothing sent', async () => {
    const before = s.sink.mails.length;
    const sent = await smtp.sendMail({
      from: 'helpdesk@help.example',
      to: 'support@help.example',
      subject: 'loop',
      text: 'x',
    });
    const row = await inbound(sent.messageId);
    expect(row.status).toBe('ignored');
    expect(row.reason).toContain('mail loop');
    // our own acknowledgement forwarded back to us by a customer's misconfigured server
    await smtp.sendMail({
      envelope: { from: 'fwd@acme.example', to: 'support@help.example' },
      raw: ack.raw,
    });
    const back = await processedMail(s, ack.parsed.messageId!);
    expect(back.reason).toContain('came back (a mail loop)');
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.sink.mails.length).toBe(before);
  });

  it('an admin reads a mail with its sanitised HTML and attachments; staff download an attachment', async () => {
    await s.db.query(`DELETE FROM mail_acknowledgements`);
    const sent = await smtp.sendMail({
      from: 'carl@acme.example',
      to: 'support@help.example',
      subject: 'screenshot attached',
      text: 'See the screenshot.',
      html: '<p onclick="steal()">See the <b>screenshot</b>.</p><script>alert(1)</script><img src="https://tracker.example/p.gif"><img src="cid:shot@x">',
      attachments: [
        {
          filename: 'shot.png',
          content: Buffer.from('not really a png'),
          contentType: 'image/png',
          cid: 'shot@x',
        },
        { filename: 'lög.txt', content: 'line 1\nline 2\n', contentType: 'text/plain' },
      ],
    });
    const row = await inbound(sent.messageId);
    const res = await api('GET', `/mail/inbound/${row.id}`, adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'filed',
      from: 'carl@acme.example',
      subject: 'screenshot attached',
      text: expect.stringContaining('See the screenshot.'),
      restricted: false,
    });
    expect(res.body.html).toContain('<p>See the <b>screenshot</b>.</p>');
    expect(res.body.html).not.toMatch(/script|onclick|tracker\.example/);
    expect(res.body.html).toContain('src="cid:shot@x"');
    const names = res.body.attachments.map(
      (a: { filename: string; contentType: string; inline: boolean }) => [
        a.filename,
        a.contentType,
        a.inline,
      ],
    );
    expect(names).toEqual([
      ['lög.txt', 'text/plain', false],
      ['shot.png', 'image/png', true],
    ]);
    const log = res.body.attachments.find((a: { filename: string }) => a.filename === 'lög.txt');
    const dl = await fetch(`${s.apiUrl}/api/mail/attachments/${log.id}`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('lög.txt')}`,
    );
    expect(await dl.text()).toBe('line 1\nline 2\n');
    expect((await api('GET', `/mail/inbound/${row.id}`, agentToken)).status).toBe(403);
  });

  describe('POST /api/inbound/mime', () => {
    const post = (body: string | Buffer, token?: string) =>
      fetch(`${s.apiUrl}/api/inbound/mime`, {
        method: 'POST',
        headers: {
          'content-type': 'message/rfc822',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
      });
    const raw = () =>
      Buffer.from(
        `From: bob@acme.example\r\nTo: support@help.example\r\nSubject: via pipe\r\nMessage-ID: <pipe-${Date.now()}@acme.example>\r\n\r\nfrom procmail\r\n`,
      );

    it('needs the token', async () => {
      expect((await post(raw())).status).toBe(401);
      expect((await post(raw(), 'wrong-token-wrong-token')).status).toBe(401);
    });
    it('says what is wrong with a body that is not a message', async () => {
      const res = await post('', s.token);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('raw RFC 822 message');
      expect((await post('just some words', s.token)).status).toBe(400);
    });
    it('files a message once even when posted twice', async () => {
      const body = raw();
      const first = await post(body, s.token);
      expect(first.status).toBe(202);
      const a = (await first.json()) as { id: string; duplicate: boolean };
      const b = await (await post(body, s.token)).json();
      expect(a.duplicate).toBe(false);
      expect(b).toMatchObject({ id: a.id, duplicate: true });
      const row = await until(
        'filed',
        async () =>
          (
            await s.db.query(`SELECT * FROM inbound_mails WHERE id = $1 AND status = 'filed'`, [
              a.id,
            ])
          )[0],
      );
      expect(
        (await s.db.query(`SELECT count(*)::int AS n FROM tickets WHERE subject = 'via pipe'`))[0]
          .n,
      ).toBe(1);
      expect(row.source).toBe('api');
    });
    it('stores the same bytes posted twice at the same moment once', async () => {
      const body = Buffer.from(raw().toString().replace('via pipe', 'twice at once'));
      const [a, b] = await Promise.all([post(body, s.token), post(body, s.token)]);
      const receipts = [await a.json(), await b.json()] as Array<{
        id: string;
        duplicate: boolean;
      }>;
      expect(receipts.map((r) => r.duplicate).sort()).toEqual([false, true]);
      expect(receipts[0].id).toBe(receipts[1].id);
      expect(
        (
          await s.db.query(`SELECT count(*)::int AS n FROM inbound_mails WHERE id = $1`, [
            receipts[0].id,
          ])
        )[0].n,
      ).toBe(1);
    });
    it('refuses a message over the size limit with 413', async () => {
      expect(
        (await post(Buffer.concat([raw(), Buffer.alloc(300 * 1024, 'x')]), s.token)).status,
      ).toBe(413);
    });
  });

  it('an admin re-files a mail from the review list by hand after fixing the cause', async () => {
    const sent = await smtp.sendMail({
      from: 'agent@help.example',
      to: 'support@help.example',
      subject: 'staff by mail',
      text: 'x',
    });
    const row = await inbound(sent.messageId);
    expect(row.status).toBe('review');
    await s.db.query(
      `UPDATE users SET role = 'customer', organization_id = $1, support_level = NULL WHERE email = 'agent@help.example'`,
      [s.ids.acme],
    );
    const res = await api('POST', `/mail/inbound/${row.id}/refile`, adminToken, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'filed', action: 'new-ticket' });
    expect((await api('POST', `/mail/inbound/${row.id}/refile`, adminToken, {})).status).toBe(409);
    expect((await api('GET', '/mail/inbound?status=nonsense', adminToken)).status).toBe(400);
  });
});
