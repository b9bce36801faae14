import { readHeaderBlock } from './headers';
import { classifySender } from './robots';
import { readBounce } from './bounce';
import {
  referenceInAddresses,
  referenceInSubject,
  severityTag,
  threadingKeys,
  ticketTitle,
} from './threading';
import { safeHeaderText, singleRecipient, UnsafeAddressError } from './safe-headers';
import { sanitiseMailHtml } from './sanitise';

const mail = (headers: string[], body = 'hello') =>
  Buffer.from(headers.join('\r\n') + '\r\n\r\n' + body);
const kind = (headers: string[]) => classifySender(readHeaderBlock(mail(headers))).kind;

describe('classifySender', () => {
  const person = [
    'From: Ann <ann@customer.example>',
    'To: support@help.example',
    'Subject: Printer on fire',
  ];
  it.each([
    ['a person', person, 'person'],
    ['Auto-Submitted: no is a person', [...person, 'Auto-Submitted: no'], 'person'],
    ['Auto-Submitted: auto-replied', [...person, 'Auto-Submitted: auto-replied'], 'auto-reply'],
    ['Auto-Submitted: auto-generated', [...person, 'Auto-Submitted: auto-generated'], 'auto-reply'],
    ['X-Auto-Response-Suppress: All', [...person, 'X-Auto-Response-Suppress: All'], 'auto-reply'],
    [
      'X-Auto-Response-Suppress: OOF',
      [...person, 'X-Auto-Response-Suppress: DR, OOF'],
      'auto-reply',
    ],
    [
      'X-Auto-Response-Suppress: RN only',
      [...person, 'X-Auto-Response-Suppress: RN, NRN'],
      'person',
    ],
    ['Precedence: bulk', [...person, 'Precedence: bulk'], 'auto-reply'],
    ['Precedence: junk', [...person, 'Precedence: junk'], 'auto-reply'],
    [
      'Precedence: list with List-Id',
      [...person, 'Precedence: list', 'List-Id: <dev.lists.example>'],
      'list',
    ],
    ['List-Id alone', [...person, 'List-Id: Dev <dev.lists.example>'], 'list'],
    ['X-Autoreply', [...person, 'X-Autoreply: yes'], 'auto-reply'],
    ['X-Autorespond', [...person, 'X-Autorespond: yes'], 'auto-reply'],
    ['empty return path', ['Return-Path: <>', ...person], 'auto-reply'],
    [
      'out-of-office subject on an answer',
      ['From: b@c.example', 'Subject: Out of Office: back Monday', 'In-Reply-To: <a@help.example>'],
      'auto-reply',
    ],
    [
      'German auto-reply subject on an answer',
      [
        'From: b@c.example',
        'Subject: Automatische Antwort: Ihre Anfrage',
        'References: <a@help.example>',
      ],
      'auto-reply',
    ],
    [
      'a person writing about the office',
      ['From: b@c.example', 'Subject: Out of office laptops fail'],
      'person',
    ],
    [
      'MAILER-DAEMON',
      ['From: MAILER-DAEMON@mx.example (Mail Delivery System)', 'Subject: hi'],
      'bounce',
    ],
    ['postmaster', ['From: <postmaster@mx.example>', 'Subject: hi'], 'bounce'],
    [
      'DSN',
      [...person, 'Content-Type: multipart/report; report-type=delivery-status; boundary="x"'],
      'bounce',
    ],
    [
      'folded DSN content type',
      [...person, 'Content-Type: multipart/report;', '\treport-type="delivery-status"; boundary=x'],
      'bounce',
    ],
    [
      'empty return path + failure subject',
      ['Return-Path: <>', 'From: mail@mx.example', 'Subject: Undelivered Mail Returned to Sender'],
      'bounce',
    ],
  ])('%s', (_name, headers, expected) => {
    expect(kind(headers)).toBe(expected);
  });

  it('says why', () => {
    const c = classifySender(readHeaderBlock(mail([...person, 'Auto-Submitted: auto-replied'])));
    expect(c.reasons).toEqual(['Auto-Submitted: auto-replied']);
  });
});

describe('readBounce', () => {
  it('reads a DSN: recipient, action, status and the returned message id', () => {
    const raw = mail(
      [
        'From: MAILER-DAEMON@mx.example',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      ],
      [
        '--b',
        'Content-Type: text/plain',
        '',
        'failed',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example',
        '',
        'Final-Recipient: rfc822; gone@customer.example',
        'Action: failed',
        'Status: 5.1.1',
        '',
        '--b',
        'Content-Type: text/rfc822-headers',
        '',
        'Message-ID: <abc-123@help.example>',
        'To: gone@customer.example',
        '--b--',
      ].join('\r\n'),
    );
    expect(readBounce(raw)).toEqual({
      originalMessageIds: ['abc-123@help.example'],
      recipients: ['gone@customer.example'],
      action: 'failed',
      status: '5.1.1',
    });
  });
  it('a delayed DSN is not a failure', () => {
    const raw = mail(
      ['From: MAILER-DAEMON@mx.example'],
      'Final-Recipient: rfc822; a@b.example\r\nAction: delayed\r\nStatus: 4.4.7\r\n',
    );
    expect(readBounce(raw).action).toBe('delayed');
  });
});

describe('threading keys', () => {
  it('In-Reply-To first, then References newest first, no duplicates', () => {
    const h = readHeaderBlock(mail(['In-Reply-To: <c@x>', 'References: <a@x> <b@x>', '\t<c@x>']));
    expect(
      threadingKeys(h, 'Re: [HD-000042] Printer', ['support+hd-7@help.example'], ['support'])
        .repliedMessageIds,
    ).toEqual(['c@x', 'b@x', 'a@x']);
  });
  it.each([
    ['Re: [HD-000123] Printer', 'HD-000123'],
    ['RE: Printer [hd-123]', 'HD-000123'],
    ['Printer HD-77 again', 'HD-000077'],
    ['Printer', null],
    ['[HD-] broken', null],
  ])('subject %s -> %s', (subject, ref) => expect(referenceInSubject(subject)).toBe(ref));
  it.each([
    [['support+HD-000123@help.example'], 'HD-000123'],
    [['other@x.example', 'support+hd-9@help.example'], 'HD-000009'],
    [['someone+HD-000123@help.example'], null],
    [['support@help.example'], null],
  ])('addresses %j -> %s', (addresses, ref) =>
    expect(referenceInAddresses(addresses, ['support'])).toBe(ref),
  );
});

describe('severityTag', () => {
  it.each([
    ['[S1] Site down', 1],
    ['Site down [Severity 2]', 2],
    ['[sev 3] typo', 3],
    ['[Severity: 1] x', 1],
    ['[S4] nope', null],
    ['S1 without brackets', null],
    ['', null],
  ])('%s -> %s', (subject, sev) => expect(severityTag(subject)).toBe(sev));
});

describe('ticketTitle', () => {
  it.each([
    ['Re: Fwd: [HD-000001] [S1] Site down', 'Site down'],
    ['AW: SV: hello', 'hello'],
    ['line\r\nBcc: evil@x.example', 'line Bcc: evil@x.example'],
    ['', '(no subject)'],
  ])('%j -> %j', (s, t) => expect(ticketTitle(s)).toBe(t));
});

describe('safe headers', () => {
  it('removes CR/LF and control characters from echoed text', () => {
    expect(safeHeaderText('Hello\r\nBcc: evil@attacker.example\u0000')).toBe(
      'Hello Bcc: evil@attacker.example',
    );
  });
  it('bounds the length', () => expect(safeHeaderText('x'.repeat(500), 50)).toHaveLength(50));
  it.each(['a@b.example', 'First.Last+tag@Sub.Example.COM', 'jdöe@mächine.example'])(
    'accepts %s',
    (a) => expect(() => singleRecipient(a)).not.toThrow(),
  );
  it.each([
    'a@b.example, c@d.example',
    'a@b.example\r\nBcc: c@d.example',
    '"x" <a@b.example>',
    'a@b',
    '',
    'a@@b.example',
    'a b@c.example',
  ])('refuses %j', (a) => expect(() => singleRecipient(a)).toThrow(UnsafeAddressError));
  it('lower-cases the domain only', () =>
    expect(singleRecipient('Ann@Customer.EXAMPLE')).toBe('Ann@customer.example'));
});

describe('sanitiseMailHtml', () => {
  it('drops scripts, handlers, remote images and javascript: links; keeps text and cid images', () => {
    const out = sanitiseMailHtml(
      '<p onclick="x()">Hi <b>there</b></p><script>alert(1)</script><img src="https://track.example/p.gif"><img src="cid:logo@x"><a href="javascript:alert(1)">x</a><style>p{}</style><iframe src="https://x"></iframe>',
    );
    expect(out).toBe(
      '<p>Hi <b>there</b></p><img /><img src="cid:logo@x" /><a rel="noopener noreferrer nofollow" target="_blank">x</a>',
    );
  });
});

import { withoutQuotedTail } from './quotes';

describe('withoutQuotedTail', () => {
  it.each([
    [
      'Thanks, it is out now.\n\nOn Monday, support wrote:\n> We sent the fire brigade.\n> Regards\n',
      'Thanks, it is out now.',
    ],
    [
      'Danke!\n\nAm 12.03.2024 um 10:15 schrieb Support <support@help.example>:\n> Hallo\n',
      'Danke!',
    ],
    [
      'Fine.\n\nOn Tue, 12 Mar 2024 at 10:15, Support <support@help.example>\nwrote:\n> text\n',
      'Fine.',
    ],
    ['Yes.\n\n-----Original Message-----\nFrom: support\nSubject: x\n\nold text', 'Yes.'],
    [
      '> you said x\nI disagree.\n> and y\nAlso no.',
      '> you said x\nI disagree.\n> and y\nAlso no.',
    ],
    ['> only a quote\n', '> only a quote'],
    ['no quote at all\n', 'no quote at all'],
  ])('%j', (text, answer) => expect(withoutQuotedTail(text)).toBe(answer));
});
