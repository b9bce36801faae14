/**
 * Every real-world mail of the corpus (test/fixtures/mail, see its README for provenance) through
 * the whole pipeline, posted to `POST /api/inbound/mime`: none is lost or crashes the worker; the
 * bounces and auto-replies are recognised and answered by nobody; the ordinary ones become tickets
 * with the subject and sender their own projects assert.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailStack, startMailStack, until } from './mail-harness';

jest.setTimeout(60_000);

const DIR = join(__dirname, '..', 'fixtures', 'mail');
const INDEX = JSON.parse(readFileSync(join(DIR, 'INDEX.json'), 'utf8')) as {
  files: Array<{ file: string; expected: { is_bounce?: boolean; is_auto_reply?: boolean } }>;
};

/** Sender and subject as each fixture's own project asserts them (INDEX.json spec_facts). */
const TICKETS: Record<string, { from: string; subject: string }> = {
  'mikel__cant_parse_from.eml': {
    from: 'news@insideapple.apple.com',
    subject: 'Meet the new MacBook Pro family. Now includes 13-inch.',
  },
  'mikel__invalid_subject_characters.eml': {
    from: '',
    subject: 'Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro',
  },
  'mikel__utf8_headers.eml': { from: 'jdöe@mächine.example', subject: 'Säying Hello' },
  'nodemailer__nodemailer.eml': {
    from: '',
    subject: 'Nodemailer is unicode friendly ✔ (1476358788189)',
  },
};

describe('e-mail channel: the real-world corpus through the pipeline', () => {
  let s: MailStack;
  const outcome = new Map<
    string,
    { status: string; reason: string; sender_kind: string; ticket_id: string | null }
  >();

  beforeAll(async () => {
    s = await startMailStack({ MAIL_MAX_MESSAGE_BYTES: String(1024 * 1024) });
    for (const { file } of INDEX.files) {
      const res = await fetch(`${s.apiUrl}/api/inbound/mime`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'message/rfc822' },
        body: readFileSync(join(DIR, file)),
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      outcome.set(file, { id } as never);
    }
    for (const [file, v] of outcome) {
      const id = (v as unknown as { id: string }).id;
      outcome.set(
        file,
        await until(
          `${file} to be processed`,
          async () =>
            (
              await s.db.query(
                `SELECT * FROM inbound_mails WHERE id = $1 AND status <> 'received'`,
                [id],
              )
            )[0],
        ),
      );
    }
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('every mail is kept with a record: filed, ignored or on the review list with a reason', () => {
    expect(outcome.size).toBe(25);
    for (const [file, row] of outcome) {
      expect([file, ['filed', 'ignored', 'review'].includes(row.status)]).toEqual([file, true]);
      if (row.status !== 'filed') expect([file, row.reason?.length > 0]).toEqual([file, true]);
    }
  });

  it.each(INDEX.files.filter((f) => f.expected.is_bounce).map((f) => f.file))(
    '%s is a bounce: no ticket, no answer',
    (file) => {
      expect(outcome.get(file)).toMatchObject({
        status: 'ignored',
        sender_kind: 'bounce',
        ticket_id: null,
      });
    },
  );

  it.each(INDEX.files.filter((f) => f.expected.is_auto_reply).map((f) => f.file))(
    '%s is an auto-reply: no ticket, no answer',
    (file) => {
      expect(outcome.get(file)).toMatchObject({
        status: 'ignored',
        sender_kind: 'auto-reply',
        ticket_id: null,
      });
    },
  );

  it.each(Object.entries(TICKETS))(
    '%s becomes a ticket with its subject and sender',
    async (file, want) => {
      const row = outcome.get(file)!;
      expect(row.status).toBe('filed');
      const [t] = await s.db.query(
        `SELECT t.subject, lower(u.email) AS email FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.id = $1`,
        [row.ticket_id],
      );
      expect(t.subject).toBe(want.subject);
      if (want.from) expect(t.email).toBe(want.from);
    },
  );

  it('the ordinary mails all become tickets, but the one without any sender, which waits for review', () => {
    const ordinary = INDEX.files
      .filter((f) => !f.expected.is_bounce && !f.expected.is_auto_reply)
      .map((f) => f.file);
    expect(
      ordinary
        .filter((f) => outcome.get(f)!.status !== 'filed')
        .map((f) => `${f}: ${outcome.get(f)!.reason}`),
    ).toEqual([
      'nodemailer__mixed.eml: no sender address (no From, no envelope sender); a person must file this by hand',
    ]);
  });

  it('acknowledgements went to the senders of new tickets only, never to a robot', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const robots = [
      'mailer-daemon',
      'postmaster',
      'kijitora@example.net',
      'nekonyaan@example.org',
      'kijitora@example.org',
      'foo@bar.net',
    ];
    const to = s.sink.mails.flatMap((m) => m.envelopeTo.map((a) => a.toLowerCase()));
    expect(to.filter((a) => robots.some((r) => a.includes(r)))).toEqual([]);
    const filed = [...outcome.values()].filter((r) => r.status === 'filed').length;
    expect(s.sink.mails.length).toBeLessThanOrEqual(filed);
  });
});
