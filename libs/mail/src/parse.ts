import { AddressObject, Attachment, EmailAddress, simpleParser } from 'mailparser';
import { HeaderBag, readHeaderBlock } from './headers';
import { Classification, classifySender } from './robots';
import { sanitiseMailHtml } from './sanitise';

export interface MailLimits {
  /** Largest whole message we file, in bytes. */
  maxMessageBytes: number;
  /** Largest attachment whose content we keep, in bytes; larger ones are listed, flagged and not stored. */
  maxAttachmentBytes: number;
}

export interface MailAddress {
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** Inline image referenced by the HTML (`cid:`), or attachment. */
  inline: boolean;
  contentId: string | null;
  /** null when the attachment is over the size limit. */
  content: Buffer | null;
  tooLarge: boolean;
}

export interface ParsedInbound {
  headers: HeaderBag;
  classification: Classification;
  messageId: string | null;
  /** Every address in From (a `From` with two addresses is suspicious: we answer none of them blindly). */
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  /** Plain text as sent, or derived from the HTML. */
  text: string;
  /** Sanitised HTML, or null when the mail had none. */
  html: string | null;
  /** The sender's own `Date:`, for information only: receipt time is ours. */
  sentAt: Date | null;
  attachments: ParsedAttachment[];
}

function flatten(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  const walk = (list: EmailAddress[]) => {
    for (const a of list) {
      if (a.group) walk(a.group);
      else if (a.address && a.address.includes('@'))
        out.push({ address: a.address.trim(), name: (a.name ?? '').replace(/\u0000/g, '').trim() });
    }
  };
  for (const obj of Array.isArray(value) ? value : value ? [value] : []) walk(obj.value ?? []);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const noNul = (s: string) => s.replace(/\u0000/g, '');

/**
 * Header lines with raw 8-bit bytes that are not UTF-8 (undeclared Latin-1, as old mailers send)
 * are re-read as Windows-1252 so they become text instead of replacement characters.
 */
export function repairRawHeaders(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n') !== -1 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const headerEnd = end === -1 ? raw.length : end;
  const head = raw.subarray(0, headerEnd);
  if (!head.some((b) => b >= 0x80)) return raw;
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= head.length; i++) {
    if (i === head.length || head[i] === 0x0a) {
      const line = head.subarray(start, i);
      let fixed = line;
      if (line.some((b) => b >= 0x80)) {
        try {
          utf8.decode(line);
        } catch {
          fixed = Buffer.from(new TextDecoder('windows-1252').decode(line), 'utf8');
        }
      }
      lines.push(fixed);
      if (i < head.length) lines.push(Buffer.from('\n'));
      start = i + 1;
    }
  }
  return Buffer.concat([...lines, raw.subarray(headerEnd)]);
}

async function attachmentsOf(
  list: Attachment[],
  limits: MailLimits,
  depth: number,
): Promise<ParsedAttachment[]> {
  const out: ParsedAttachment[] = [];
  for (const a of list) {
    const tooLarge = a.size > limits.maxAttachmentBytes;
    out.push({
      filename: (a.filename ?? `attachment-${out.length + 1}`)
        .replace(/[\u0000-\u001f\u007f/\\]+/g, '_')
        .slice(0, 255),
      contentType: (a.contentType ?? 'application/octet-stream').slice(0, 255),
      size: a.size,
      inline: !!a.related || a.contentDisposition === 'inline',
      contentId: a.cid ?? null,
      content: tooLarge ? null : a.content,
      tooLarge,
    });
    // A forwarded message's own attachments are listed after it, as mail clients show them.
    if (a.contentType === 'message/rfc822' && depth < 3 && Buffer.isBuffer(a.content)) {
      try {
        const inner = await simpleParser(a.content, {
          skipImageLinks: true,
          skipTextToHtml: true,
          skipHtmlToText: true,
        });
        out.push(...(await attachmentsOf(inner.attachments ?? [], limits, depth + 1)));
      } catch {
        // the forwarded message stays as one attachment
      }
    }
  }
  return out;
}

/**
 * Parse a raw message. Never throws for bad content (charsets, encodings, broken headers are
 * mailparser's business and it degrades); throws only when the bytes are not a message at all.
 */
export async function parseMail(raw: Buffer, limits: MailLimits): Promise<ParsedInbound> {
  const headers = readHeaderBlock(raw);
  const parsed = await simpleParser(repairRawHeaders(raw), {
    skipImageLinks: true,
    skipTextToHtml: true,
    maxHtmlLengthToParse: 2 * 1024 * 1024,
  });
  const attachments = await attachmentsOf(parsed.attachments ?? [], limits, 0);
  // PostgreSQL text cannot hold NUL: mail from broken mailers sometimes has them.
  const html = typeof parsed.html === 'string' ? noNul(sanitiseMailHtml(parsed.html)) : null;
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
  const messageId = parsed.messageId ? parsed.messageId.replace(/^<|>$/g, '').trim() || null : null;
  return {
    headers,
    classification: classifySender(headers),
    messageId,
    from: flatten(parsed.from),
    to: flatten(parsed.to),
    cc: flatten(parsed.cc),
    replyTo: flatten(parsed.replyTo),
    subject: noNul(parsed.subject ?? ''),
    text: noNul(parsed.text ?? ''),
    html,
    sentAt: date,
    attachments,
  };
}
