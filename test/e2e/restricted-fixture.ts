/**
 * A harness holding one OFFICIAL-SENSITIVE ticket of Acme with every kind of content it can have:
 * subject, description, a customer's file, a cleared agent's public reply (mailed to the customer),
 * an internal note, a status change with a reason, and a reply by e-mail with an attachment and an
 * inline image. The secrets are unlikely words, so a test can look for them in any answer.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { createTicket, Harness, startHarness } from '../support/harness';
import { waitFor } from '../support/wait';

export const SECRET = {
  subject: 'Quillwort payroll export',
  description: 'Bramblefinch names every officer',
  file: 'marrowgate-officers.txt',
  reply: 'Tumbleroot fix applied',
  note: 'Wrenthorpe internal suspicion',
  reason: 'Halloway reason for pending',
  mailSubject: 'Saltmarsh follow-up',
  mailBody: 'Cobblestep second list attached',
  mailFile: 'kestrelmoor-list.pdf',
  inlineFile: 'glimmerwick-screenshot.png',
} as const;

export const INBOUND_TOKEN = 'restricted-fixture-inbound-token';

export interface RestrictedFixture {
  h: Harness;
  ticket: { id: string; reference: string };
  inboundMailId: string;
  tokens: Record<string, string>;
  auth(who: string): { authorization: string };
}

/** Mail settings are read from the environment when the api and worker modules are built. */
function withMailEnvironment<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    INBOUND_MIME_TOKEN: INBOUND_TOKEN,
    MAIL_SUPPORT_ADDRESS: 'support@helpdesk.test',
  });
  return fn().finally(() => {
    for (const key of ['INBOUND_MIME_TOKEN', 'MAIL_SUPPORT_ADDRESS'])
      if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  });
}

export const PEOPLE = {
  admin: 'admin@helpdesk.test', // not cleared
  manager: 'manager@helpdesk.local', // not cleared
  agent1: 'agent1@helpdesk.local', // not cleared
  agent3: 'agent3@helpdesk.local', // cleared
  alice: 'alice@acme.example', // the requester (Acme)
  carol: 'carol@acme.example', // Acme's customer admin
  lars: 'lars@nordisk.example', // customer of Nordisk
  mette: 'mette@nordisk.example', // Nordisk's customer admin
} as const;

export async function startRestrictedFixture(): Promise<RestrictedFixture> {
  const h = await withMailEnvironment(() => startHarness({ worker: true }));
  const tokens: Record<string, string> = {};
  for (const [who, email] of Object.entries(PEOPLE)) tokens[who] = await h.login(email);
  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  const ticket = await createTicket(h, tokens.alice, {
    subject: SECRET.subject,
    description: SECRET.description,
    severity: 2,
    sensitive: true,
  });
  await h.http
    .post(`/api/tickets/${ticket.id}/attachments`)
    .set(auth('alice'))
    .attach('files', Buffer.from('names'), SECRET.file)
    .expect(201);
  await h.http
    .post(`/api/tickets/${ticket.id}/messages`)
    .set(auth('agent3'))
    .send({ body: SECRET.reply, visibility: 'public' })
    .expect(201);
  await h.http
    .post(`/api/tickets/${ticket.id}/messages`)
    .set(auth('agent3'))
    .send({ body: SECRET.note, visibility: 'internal' })
    .expect(201);
  await h.http
    .patch(`/api/tickets/${ticket.id}`)
    .set(auth('agent3'))
    .send({ status: 'pending', reason: SECRET.reason })
    .expect(200);

  const raw = await new MailComposer({
    from: 'Alice <alice@acme.example>',
    to: 'support@helpdesk.test',
    subject: `Re: [${ticket.reference}] ${SECRET.mailSubject}`,
    text: SECRET.mailBody,
    html: `<p>${SECRET.mailBody}</p><img src="cid:shot@acme">`,
    attachments: [
      {
        filename: SECRET.mailFile,
        content: Buffer.from('%PDF-1.4'),
        contentType: 'application/pdf',
      },
      {
        filename: SECRET.inlineFile,
        content: Buffer.from('89504e470d0a1a0a', 'hex'),
        contentType: 'image/png',
        cid: 'shot@acme',
      },
    ],
  })
    .compile()
    .build();
  const posted = await h.http
    .post('/api/inbound/mime')
    .set('authorization', `Bearer ${INBOUND_TOKEN}`)
    .set('content-type', 'message/rfc822')
    .send(raw)
    .expect(202);
  const inboundMailId = posted.body.id as string;
  await waitFor(
    async () =>
      (
        await h.pg.query(`SELECT 1 FROM inbound_mails WHERE id = $1 AND status = 'filed'`, [
          inboundMailId,
        ])
      ).rowCount,
    { what: 'the reply mail to be filed on the sensitive ticket' },
  );
  // The cleared agent's public reply goes to the customer by mail (the worker's outbox).
  await waitFor(
    async () =>
      (
        await h.pg.query(`SELECT 1 FROM outbound_mails WHERE ticket_id = $1 AND kind = 'reply'`, [
          ticket.id,
        ])
      ).rowCount,
    { what: 'the reply to be mailed to the customer' },
  );
  return { h, ticket, inboundMailId, tokens, auth };
}

/** The secrets of the sensitive ticket that `text` gives away. */
export function leaked(text: string, secrets: readonly string[] = Object.values(SECRET)): string[] {
  return secrets.filter((s) => text.includes(s));
}
