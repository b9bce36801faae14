// Files on tickets: uploaded on the web (multipart) and received by e-mail, in one table, listed and downloaded alike.
jest.setTimeout(120_000);
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { createTicket, Harness, startHarness } from '../support/harness';
import { MailStack, startMailStack, until } from './mail-harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** supertest collects a binary body as a Buffer only when told to. */
const binary = (response: unknown, cb: (e: Error | null, body: Buffer) => void) => {
  const res = response as NodeJS.ReadableStream;
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
};

describe('ticket attachments (web uploads)', () => {
  let h: Harness;
  let alice: string; // customer of Acme, the requester
  let lars: string; // customer of Nordisk
  let agent1: string; // not cleared
  let agent3: string; // cleared
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    [alice, lars, agent1, agent3] = await Promise.all(
      [
        'alice@acme.example',
        'lars@nordisk.example',
        'agent1@helpdesk.local',
        'agent3@helpdesk.local',
      ].map((e) => h.login(e)),
    );
  });
  afterAll(() => h.close());

  it('the requester attaches files; staff list and download them with a safe name, type and hash', async () => {
    const t = await createTicket(h, alice, {
      subject: 'with files',
      description: 'see attached',
      severity: 2,
    });
    const log = Buffer.from('2024-05-01 ERROR something broke\n');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const up = await h.http
      .post(`/api/tickets/${t.id}/attachments`)
      .set(auth(alice))
      .attach('files', log, { filename: 'server "prod".log', contentType: 'text/plain' })
      .attach('files', png, { filename: '../../etc/Skærmbillede.png', contentType: 'image/png' })
      .expect(201);
    expect(up.body).toHaveLength(2);
    expect(up.body[0]).toMatchObject({
      filename: 'server prod.log',
      contentType: 'text/plain',
      size: log.length,
      sha256: sha(log),
      source: 'web',
      available: true,
    });
    expect(up.body[1]).toMatchObject({
      filename: 'Skærmbillede.png',
      contentType: 'image/png',
      size: png.length,
      sha256: sha(png),
    });

    const list = await h.http.get(`/api/tickets/${t.id}/attachments`).set(auth(agent1)).expect(200);
    expect(list.body.map((a: { filename: string }) => a.filename).sort()).toEqual([
      'Skærmbillede.png',
      'server prod.log',
    ]);

    const file = await h.http
      .get(`/api/tickets/${t.id}/attachments/${up.body[1].id}`)
      .set(auth(agent1))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(file.body, png)).toBe(0);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="Sk_rmbillede.png"; filename*=UTF-8''Sk%C3%A6rmbillede.png`,
    );
  });

  it('another organisation cannot list, add or download; an HTML file is only ever a download', async () => {
    const t = await createTicket(h, alice, {
      subject: 'private files',
      description: 'x',
      severity: 3,
    });
    const [a] = (
      await h.http
        .post(`/api/tickets/${t.id}/attachments`)
        .set(auth(alice))
        .attach('files', Buffer.from('<script>alert(1)</script>'), {
          filename: 'x.html',
          contentType: 'text/html',
        })
        .expect(201)
    ).body;
    const html = await h.http
      .get(`/api/tickets/${t.id}/attachments/${a.id}`)
      .set(auth(alice))
      .expect(200);
    expect(html.headers['content-disposition']).toMatch(/^attachment;/);
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    await h.http.get(`/api/tickets/${t.id}/attachments`).set(auth(lars)).expect(404);
    await h.http.get(`/api/tickets/${t.id}/attachments/${a.id}`).set(auth(lars)).expect(404);
    await h.http
      .post(`/api/tickets/${t.id}/attachments`)
      .set(auth(lars))
      .attach('files', Buffer.from('x'), 'x.txt')
      .expect(404);
  });

  it('OFFICIAL-SENSITIVE: only cleared staff see the attachments', async () => {
    const t = await createTicket(h, alice, {
      subject: 'sensitive files',
      description: 'x',
      severity: 2,
      sensitive: true,
    });
    const [a] = (
      await h.http
        .post(`/api/tickets/${t.id}/attachments`)
        .set(auth(alice))
        .attach('files', Buffer.from('secret'), 'secret.txt')
        .expect(201)
    ).body;
    const refused = await h.http
      .get(`/api/tickets/${t.id}/attachments`)
      .set(auth(agent1))
      .expect(403);
    expect(refused.body.message).toMatch(/cleared staff/);
    await h.http.get(`/api/tickets/${t.id}/attachments/${a.id}`).set(auth(agent1)).expect(403);
    await h.http
      .post(`/api/tickets/${t.id}/attachments`)
      .set(auth(agent1))
      .attach('files', Buffer.from('x'), 'x.txt')
      .expect(403);
    await h.http.get(`/api/tickets/${t.id}/attachments/${a.id}`).set(auth(agent3)).expect(200);
  });

  it('limits: 10 MB a file (413), 25 MB a ticket (413), at least one file (400), nothing stored on refusal', async () => {
    const t = await createTicket(h, alice, { subject: 'big files', description: 'x', severity: 3 });
    const count = async () =>
      Number(
        (await h.pg.query(`SELECT count(*) FROM inbound_attachments WHERE ticket_id = $1`, [t.id]))
          .rows[0].count,
      );
    const none = await h.http
      .post(`/api/tickets/${t.id}/attachments`)
      .set(auth(alice))
      .field('visibility', 'public')
      .expect(400);
    expect(none.body.message).toMatch(/one or more files/);
    const huge = await h.http
      .post(`/api/tickets/${t.id}/attachments`)
      .set(auth(alice))
      .attach('files', Buffer.alloc(10 * 2 ** 20 + 1), 'huge.bin')
      .expect(413);
    expect(huge.body.message).toBe('Each file may be at most 10 MB.');
    const nine = Buffer.alloc(9 * 2 ** 20, 1);
    await h.http
      .post(`/api/tickets/${t.id}/attachments`)
      .set(auth(alice))
      .attach('files', nine, 'a.bin')
      .attach('files', nine, 'b.bin')
      .expect(201);
    const over = await h.http
      .post(`/api/tickets/${t.id}/attachments`)
      .set(auth(alice))
      .attach('files', nine, 'c.bin')
      .expect(413);
    expect(over.body.message).toMatch(/at most 25 MB/);
    expect(await count()).toBe(2);
    await h.http.post(`/api/tickets/${t.id}/attachments/not-a-uuid`).set(auth(alice)).expect(404);
    await h.http.get(`/api/tickets/${t.id}/attachments/not-a-uuid`).set(auth(alice)).expect(400);
  });
});

describe('ticket attachments (received by e-mail)', () => {
  let s: MailStack;
  beforeAll(async () => {
    s = await startMailStack();
  });
  afterAll(() => s?.stop());

  it("a mail's attachments are listed on its ticket and download like uploads", async () => {
    const pdf = Buffer.from('%PDF-1.4 invoice');
    const raw = await new MailComposer({
      from: 'Alice Example <alice@acme.example>',
      to: s.mailConfig.MAIL_SUPPORT_ADDRESS,
      subject: 'Invoice attached',
      text: 'Please see the invoice.',
      attachments: [{ filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    const res = await fetch(`${s.apiUrl}/api/inbound/mime`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'message/rfc822' },
      body: raw,
    });
    expect(res.status).toBe(202);
    const ticketId = await until('the mail to be filed', async () => {
      const [row] = await s.db.query(
        `SELECT ticket_id FROM inbound_mails WHERE subject = 'Invoice attached' AND ticket_id IS NOT NULL`,
      );
      return row?.ticket_id as string | undefined;
    });
    const alice = await s.login('alice@acme.example');
    const list = await fetch(`${s.apiUrl}/api/tickets/${ticketId}/attachments`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    const items = (await list.json()) as {
      id: string;
      filename: string;
      source: string;
      sha256: string;
    }[];
    expect(items).toEqual([
      expect.objectContaining({ filename: 'invoice.pdf', source: 'email', sha256: sha(pdf) }),
    ]);
    const file = await fetch(`${s.apiUrl}/api/tickets/${ticketId}/attachments/${items[0].id}`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
  });
});
