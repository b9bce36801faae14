/**
 * The real-world corpus (test/fixtures/mail, copied byte for byte from /work/shared/corpus/mail;
 * provenance and licences in its INDEX.json and README.md): every mail parses and is classified
 * without a crash, with what each fixture's own project asserts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMail, ParsedInbound } from './parse';
import { readBounce } from './bounce';

const DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'mail');
const INDEX = JSON.parse(readFileSync(join(DIR, 'INDEX.json'), 'utf8')) as {
  files: Array<{ file: string; expected: { is_bounce?: boolean; is_auto_reply?: boolean } }>;
};
const limits = { maxMessageBytes: 25 * 2 ** 20, maxAttachmentBytes: 10 * 2 ** 20 };
const load = (file: string) => readFileSync(join(DIR, file));
const parse = (file: string) => parseMail(load(file), limits);
const addresses = (list: ParsedInbound['to']) => list.map((a) => a.address);

describe('mail corpus', () => {
  it('holds every file the index lists', () => {
    expect(INDEX.files.length).toBe(25);
  });

  it.each(INDEX.files.map((f) => [f.file, f.expected] as const))(
    '%s parses and is classified as its project says',
    async (file, expected) => {
      const mail = await parse(file);
      const kind = mail.classification.kind;
      if (expected.is_bounce === true) expect(kind).toBe('bounce');
      if (expected.is_auto_reply === true) expect(kind).toBe('auto-reply');
      if (expected.is_bounce === false && expected.is_auto_reply === undefined)
        expect(kind).not.toBe('bounce');
      if (expected.is_bounce === undefined && expected.is_auto_reply === undefined)
        expect(kind).toBe('person');
    },
  );

  it('no text we keep holds a NUL character (PostgreSQL text cannot)', async () => {
    for (const { file } of INDEX.files) {
      const m = await parse(file);
      expect([
        file,
        /\u0000/.test(m.text + m.subject + (m.html ?? '') + m.from.map((f) => f.name).join('')),
      ]).toEqual([file, false]);
    }
  });

  it('ISO-2022-JP body without MIME structure', async () => {
    const m = await parse('mikel__japanese_iso_2022.eml');
    expect(addresses(m.to)).toEqual(['raasdnil@gmail.com']);
    expect(m.text).toBe('すみません。\n\n');
  });
  it('ks_c_5601-1987 charset label', async () => {
    expect((await parse('mikel__ks_c_5601-1987.eml')).text.trimEnd()).toBe('스티해');
  });
  it('mbox From_ lines in a multipart body', async () => {
    const m = await parse('mikel__cant_parse_from.eml');
    expect(addresses(m.from)).toEqual(['News@InsideApple.Apple.com']);
    expect(m.text.length + (m.html ?? '').length).toBeGreaterThan(0);
  });
  it('raw Latin-1 subject and a Windows-1252 encoded display name', async () => {
    const m = await parse('mikel__invalid_subject_characters.eml');
    expect(m.from[0].name).toBe('Formação Frenetikpolis');
    expect(m.subject).toBe(
      'Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro',
    );
  });
  it('odd To groups', async () => {
    expect(addresses((await parse('mikel__weird_to_header.eml')).to)).toEqual([
      'user-example@aol.com',
      'e-s-a-s-2200@app.ar.com',
    ]);
  });
  it.each(['mikel__missing_body.eml', 'mikel__bad_date_header2.eml'])('%s parses', async (file) => {
    const m = await parse(file);
    expect(m.from.length).toBeGreaterThan(0);
  });
  it('unparseable Date gives no sentAt rather than an invalid date', async () => {
    const m = await parse('mikel__bad_date_header2.eml');
    expect(m.sentAt === null || !Number.isNaN(m.sentAt.getTime())).toBe(true);
  });
  it('non-ASCII attachment name', async () => {
    const m = await parse('mikel__attachment_nonascii_filename.eml');
    expect(m.attachments.map((a) => a.filename)).toEqual(['ciële.txt']);
  });
  it('forwarded message/rfc822 carrying an attachment', async () => {
    const m = await parse('mikel__attachment_message_rfc822.eml');
    expect(m.attachments).toHaveLength(2);
    expect(m.attachments[1].size).toBe(1026);
  });
  it('RFC 6532 UTF-8 headers', async () => {
    const m = await parse('mikel__utf8_headers.eml');
    expect(m.subject).toBe('Säying Hello');
    expect(m.from).toEqual([{ name: 'Jöhn Doe', address: 'jdöe@mächine.example' }]);
    expect(m.to).toEqual([{ name: 'Märy Smith', address: 'märy@exämple.net' }]);
  });
  it('Nodemailer message with inline images and attachments', async () => {
    const m = await parse('nodemailer__nodemailer.eml');
    expect(m.subject).toBe('Nodemailer is unicode friendly ✔ (1476358788189)');
    expect(m.to).toEqual([
      { name: 'Andris Reinman', address: 'andris+123@kreata.ee' },
      { name: '', address: 'andris.reinman@gmail.com' },
    ]);
    expect(m.attachments).toHaveLength(4);
    expect(m.attachments.some((a) => a.inline && a.contentId)).toBe(true);
    expect(m.html).not.toMatch(/<script|onerror=/i);
  });
  it('nested multiparts', async () => {
    const m = await parse('nodemailer__nested.eml');
    expect(m.text).toBe('\nDear Sir,\n\nGood evening.\n\n\n\n\n\n\n\nThe footer\n');
    expect(m.html).toBe(
      '<p>Dear Sir</p>\n<p>Good evening.</p>\n<p></p><br />\n<p>The footer</p>\n',
    );
  });
  it('text parts of multipart/mixed are joined', async () => {
    expect((await parse('nodemailer__mixed.eml')).text).toBe(
      '\nThis e-mail message has been scanned for Viruses and Content and cleared\n\nGood Morning;\n\n',
    );
  });
  it('delivery-status bounce text keeps the status', async () => {
    const raw = load('nodemailer__delivery-status.eml');
    expect((await parseMail(raw, limits)).text).toContain('Status: 5.1.1');
    expect(readBounce(raw)).toMatchObject({ action: 'failed', status: '5.1.1' });
  });
  it.each([
    ['sisimai__lhost-postfix-02.eml', '5.2.1', 'failed'],
    ['sisimai__lhost-postfix-01-crlf.eml', '5.1.1', 'failed'],
    ['sisimai__lhost-gmail-01.eml', '5.1.1', 'failed'],
    ['sisimai__lhost-office365-01.eml', '5.1.10', 'failed'],
    ['sisimai__lhost-exim-01.eml', '5.7.0', 'failed'],
    ['mikel__report_422.eml', null, 'delayed'],
  ])('bounce %s: status %s, %s', (file, status, action) => {
    const b = readBounce(load(file));
    expect(b.action).toBe(action);
    if (status) expect(b.status).toBe(status);
    expect(b.recipients.length).toBeGreaterThan(0);
  });
  it('a per-attachment size limit keeps the listing and drops the content', async () => {
    const m = await parseMail(load('nodemailer__nodemailer.eml'), {
      ...limits,
      maxAttachmentBytes: 100,
    });
    expect(m.attachments.every((a) => a.tooLarge === a.size > 100)).toBe(true);
    expect(m.attachments.filter((a) => a.tooLarge).every((a) => a.content === null)).toBe(true);
  });
});
