import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Batch } from '@app/config';
import {
  AcknowledgementRequest,
  Conclusion,
  concludeInboundMails,
  inboundMailsById,
  insertRawMails,
  KnownMessageId,
  knownMessageIds,
  RawMail,
  recordMessageIds,
  StoredMail,
  takeAcknowledgements,
} from './inbound-mail.statements';
import type { ParsedAttachment } from './parse';

export type InboundSource = 'smtp' | 'imap' | 'api';
export type InboundStatus = 'received' | 'filed' | 'review' | 'ignored';

export interface InboundMailRow {
  id: string;
  raw: Buffer;
  size: number;
  source: InboundSource;
  received_at: Date;
  envelope_from: string | null;
  envelope_to: string[];
  status: InboundStatus;
  reason: string | null;
  too_large: boolean;
  ticket_id: string | null;
}

export interface InboundMailSummary {
  id: string;
  source: InboundSource;
  receivedAt: string;
  status: InboundStatus;
  reason: string | null;
  senderKind: string | null;
  from: string | null;
  subject: string | null;
  size: number;
  ticketId: string | null;
  /** Its ticket is OFFICIAL-SENSITIVE (for the access rule; not shown). */
  sensitive: boolean;
}

const STATEMENT_BYTES = 8 * 1024 * 1024;

/**
 * Raw SQL over the mail channel's own tables (inbound_mails, inbound_attachments, mail_*). The steps
 * every mail takes go through a `Batch`: mails filed at the same moment share one statement.
 */
@Injectable()
export class InboundMailRepository {
  // Statements that carry whole mails stay within a few megabytes (a mail may have 25).
  private readonly rawMails = new Batch<RawMail, StoredMail>((l) => insertRawMails(this.db, l), {
    weight: (m) => m.raw.length,
    maxWeight: STATEMENT_BYTES,
  });
  private readonly mailsById = new Batch((ids: string[]) => inboundMailsById(this.db, ids), {
    maxItems: 32,
  });
  private readonly conclusions = new Batch((l: Conclusion[]) => concludeInboundMails(this.db, l), {
    weight: (c) => (c.text?.length ?? 0) + (c.html?.length ?? 0),
    maxWeight: STATEMENT_BYTES,
  });
  private readonly messageIdRecords = new Batch((l: KnownMessageId[]) =>
    recordMessageIds(this.db, l),
  );
  private readonly messageIdLookups = new Batch((l: string[][]) => knownMessageIds(this.db, l));
  private readonly acknowledgements = new Batch((l: AcknowledgementRequest[]) =>
    takeAcknowledgements(this.db, l),
  );

  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** Stores the raw bytes; a second copy of the same bytes is not stored again (`duplicate`). */
  insertRaw(input: RawMail): Promise<StoredMail> {
    return this.rawMails.run(input);
  }

  get(id: string): Promise<InboundMailRow | null> {
    return this.mailsById.run(id);
  }

  /** The outcome of filing, with what we learnt of the mail (sender kind, Message-ID, From, Subject). */
  async conclude(
    id: string,
    status: InboundStatus,
    reason: string | null,
    ticketId: string | null,
    d: {
      senderKind: string;
      messageId: string | null;
      from: string | null;
      subject: string;
      text: string;
      html: string | null;
    } | null,
  ): Promise<void> {
    await this.conclusions.run({
      id,
      status,
      reason,
      ticketId,
      senderKind: d?.senderKind ?? null,
      messageId: d?.messageId ?? null,
      from: d?.from ?? null,
      subject: d ? d.subject.slice(0, 998) : null,
      text: d?.text ?? null,
      html: d?.html ?? null,
    });
  }

  async setStatus(
    id: string,
    status: InboundStatus,
    reason: string | null,
    ticketId: string | null = null,
  ): Promise<void> {
    await this.conclude(id, status, reason, ticketId, null);
  }

  /**
   * Every part of the mail on its ticket, in the mail's order (`part`), with the message made from
   * the mail (null: the description). Filing the mail again adds no part twice; re-filing from the
   * review list replaces them.
   */
  async saveAttachments(
    mailId: string,
    ticketId: string | null,
    messageId: string | null,
    list: ParsedAttachment[],
    refiling: boolean,
  ): Promise<void> {
    if (refiling)
      await this.db.query(`DELETE FROM inbound_attachments WHERE inbound_mail_id = $1`, [mailId]);
    if (!list.length) return;
    await this.db.query(
      `INSERT INTO inbound_attachments (inbound_mail_id, ticket_id, message_id, part, filename, content_type, size, inline, content_id, content, too_large)
       SELECT $1, $2, $3, x.part, x.filename, x.content_type, x.size, x.inline, x.content_id, x.content, x.too_large
         FROM unnest($4::text[], $5::text[], $6::int[], $7::boolean[], $8::text[], $9::bytea[], $10::boolean[])
           WITH ORDINALITY AS x(filename, content_type, size, inline, content_id, content, too_large, part)
       ON CONFLICT (inbound_mail_id, part) DO NOTHING`,
      [
        mailId,
        ticketId,
        messageId,
        list.map((a) => a.filename),
        list.map((a) => a.contentType),
        list.map((a) => a.size),
        list.map((a) => a.inline),
        list.map((a) => a.contentId),
        list.map((a) => a.content),
        list.map((a) => a.tooLarge),
      ],
    );
  }

  /** Every file of the ticket, as the mail view lists them. */
  async attachmentsOfTicket(ticketId: string): Promise<
    Array<{
      id: string;
      filename: string;
      contentType: string;
      size: number;
      inline: boolean;
      tooLarge: boolean;
    }>
  > {
    return this.db.query(
      `SELECT id, filename, content_type AS "contentType", size, inline, too_large AS "tooLarge" FROM inbound_attachments
        WHERE ticket_id = $1 ORDER BY created_at, inbound_mail_id, part, filename`,
      [ticketId],
    );
  }

  async list(status: InboundStatus | null, limit: number): Promise<InboundMailSummary[]> {
    const rows = await this.db.query(
      `SELECT m.id, m.source, m.received_at, m.status, m.reason, m.sender_kind, m.from_address, m.subject, m.size, m.ticket_id,
              coalesce(t.sensitive, false) AS sensitive
         FROM inbound_mails m LEFT JOIN tickets t ON t.id = m.ticket_id
        WHERE ($1::text IS NULL OR m.status = $1) ORDER BY m.received_at DESC LIMIT $2`,
      [status, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id,
      source: r.source,
      receivedAt: (r.received_at as Date).toISOString(),
      status: r.status,
      reason: r.reason,
      senderKind: r.sender_kind,
      from: r.from_address,
      subject: r.subject,
      size: r.size,
      ticketId: r.ticket_id,
      sensitive: r.sensitive,
    }));
  }

  /** One inbound mail as an admin reads it: what we parsed (sanitised HTML), what we did, its attachments. */
  async detail(id: string) {
    const [r] = await this.db.query(
      `SELECT m.id, m.source, m.received_at, m.status, m.reason, m.sender_kind, m.message_id, m.from_address, m.subject, m.size, m.ticket_id,
              m.text_body, m.html_body, m.envelope_from, m.envelope_to, m.too_large, coalesce(t.sensitive, false) AS sensitive
         FROM inbound_mails m LEFT JOIN tickets t ON t.id = m.ticket_id WHERE m.id = $1`,
      [id],
    );
    if (!r) return null;
    const attachments = await this.db.query(
      `SELECT id, filename, content_type AS "contentType", size, inline, too_large AS "tooLarge" FROM inbound_attachments WHERE inbound_mail_id = $1 ORDER BY filename`,
      [id],
    );
    return {
      id: r.id as string,
      source: r.source as InboundSource,
      receivedAt: (r.received_at as Date).toISOString(),
      status: r.status as InboundStatus,
      reason: r.reason as string | null,
      senderKind: r.sender_kind as string | null,
      messageId: r.message_id as string | null,
      from: r.from_address as string | null,
      envelopeFrom: r.envelope_from as string | null,
      envelopeTo: r.envelope_to as string[],
      subject: r.subject as string | null,
      size: r.size as number,
      tooLarge: r.too_large as boolean,
      ticketId: r.ticket_id as string | null,
      sensitive: r.sensitive as boolean,
      text: r.text_body as string | null,
      html: r.html_body as string | null,
      attachments: attachments as Array<{
        id: string;
        filename: string;
        contentType: string;
        size: number;
        inline: boolean;
        tooLarge: boolean;
      }>,
    };
  }

  async attachment(id: string): Promise<{
    filename: string;
    contentType: string;
    content: Buffer | null;
    ticketId: string | null;
    sensitive: boolean;
  } | null> {
    const [r] = await this.db.query(
      `SELECT a.filename, a.content_type, a.content, a.ticket_id, coalesce(t.sensitive, false) AS sensitive
         FROM inbound_attachments a LEFT JOIN tickets t ON t.id = a.ticket_id WHERE a.id = $1`,
      [id],
    );
    return r
      ? {
          filename: r.filename,
          contentType: r.content_type,
          content: r.content,
          ticketId: r.ticket_id,
          sensitive: r.sensitive,
        }
      : null;
  }

  // --- Message-IDs we sent or received, for threading and bounces ---

  async recordMessageId(
    messageId: string,
    ticketId: string,
    direction: 'in' | 'out',
    kind: string | null,
    recipient: string | null = null,
  ): Promise<void> {
    await this.messageIdRecords.run({ messageId, ticketId, direction, kind, recipient });
  }

  /** The ticket of the first of `ids` we know; ids are tried in the order given. */
  async ticketOfMessageIds(ids: string[]): Promise<string | null> {
    if (!ids.length) return null;
    const [first] = await this.messageIdLookups.run(ids);
    return first?.ticketId ?? null;
  }

  async outgoingByMessageIds(
    ids: string[],
  ): Promise<Array<{ messageId: string; ticketId: string; recipient: string | null }>> {
    if (!ids.length) return [];
    return (await this.messageIdLookups.run(ids))
      .filter((m) => m.direction === 'out')
      .map(({ messageId, ticketId, recipient }) => ({ messageId, ticketId, recipient }));
  }

  async markOutgoing(
    messageId: string,
    status: 'failed' | 'delayed',
    detail: string,
  ): Promise<void> {
    await this.db.query(
      `UPDATE mail_message_ids SET status = $2, status_detail = $3 WHERE message_id = $1`,
      [messageId, status, detail],
    );
  }

  async deliveriesOfTicket(ticketId: string): Promise<
    Array<{
      messageId: string;
      kind: string | null;
      recipient: string | null;
      status: string;
      statusDetail: string | null;
      createdAt: string;
    }>
  > {
    const rows = await this.db.query(
      `SELECT message_id, kind, recipient, status, status_detail, created_at FROM mail_message_ids WHERE ticket_id = $1 AND direction = 'out' ORDER BY created_at`,
      [ticketId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      messageId: r.message_id as string,
      kind: r.kind as string | null,
      recipient: r.recipient as string | null,
      status: r.status as string,
      statusDetail: r.status_detail as string | null,
      createdAt: (r.created_at as Date).toISOString(),
    }));
  }

  // --- recipients that bounce ---

  async markBouncing(address: string, status: string | null, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO mail_recipients (address, bouncing, last_bounce_at, last_bounce_status, bounces) VALUES (lower($1), true, $2, $3, 1)
       ON CONFLICT (address) DO UPDATE SET bouncing = true, last_bounce_at = $2, last_bounce_status = $3, bounces = mail_recipients.bounces + 1`,
      [address, at, status],
    );
  }

  async isBouncing(address: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM mail_recipients WHERE address = lower($1) AND bouncing`,
      [address],
    );
    return rows.length > 0;
  }

  async bouncingOf(
    addresses: string[],
  ): Promise<Array<{ address: string; lastBounceAt: string; lastBounceStatus: string | null }>> {
    if (!addresses.length) return [];
    const rows = await this.db.query(
      `SELECT address, last_bounce_at, last_bounce_status FROM mail_recipients WHERE bouncing AND address = ANY($1)`,
      [addresses.map((a) => a.toLowerCase())],
    );
    return rows.map((r: Record<string, unknown>) => ({
      address: r.address as string,
      lastBounceAt: (r.last_bounce_at as Date).toISOString(),
      lastBounceStatus: r.last_bounce_status as string | null,
    }));
  }

  // --- acknowledgement rate limit (per sender per hour) ---

  /**
   * Records an acknowledgement to `sender` unless `limit` were already sent to them in the hour before
   * `at` or the address bounces. Requests of one process are granted in order, so a burst from one
   * sender cannot overshoot the limit; several processes may overshoot it by the mails they file in
   * the same instant, never by more.
   */
  takeAcknowledgement(
    sender: string,
    ticketId: string | null,
    at: Date,
    limit: number,
  ): Promise<boolean> {
    return this.acknowledgements.run({ sender, ticketId, at, limit });
  }
}
