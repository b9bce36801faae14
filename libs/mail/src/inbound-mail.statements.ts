import type { DataSource } from 'typeorm';
import type { InboundMailRow, InboundSource, InboundStatus } from './inbound-mail.repository';

/**
 * The statements of the filing path, each for many mails at once (see `Batch`): one round trip and
 * one commit for every mail that reached that step in the same moment. Each returns one result per
 * input, in the order given.
 */

export interface RawMail {
  hash: string;
  raw: Buffer;
  source: InboundSource;
  receivedAt: Date;
  envelopeFrom: string | null;
  envelopeTo: string[];
  tooLarge: boolean;
}

export interface StoredMail {
  id: string;
  duplicate: boolean;
  status: InboundStatus;
}

/** Stores raw mails; bytes already stored (before, or earlier in the same batch) are a duplicate. */
export async function insertRawMails(db: DataSource, mails: RawMail[]): Promise<StoredMail[]> {
  const rows: Array<{
    id: string;
    content_hash: string;
    status: InboundStatus;
    inserted: boolean;
  }> = await db.query(
    `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[], $4::timestamptz[], $5::text[], $6::jsonb[], $7::boolean[])
           WITH ORDINALITY AS x(content_hash, raw, source, received_at, envelope_from, envelope_to, too_large, n)
       ), ins AS (
         INSERT INTO inbound_mails (content_hash, raw, size, source, received_at, envelope_from, envelope_to, too_large, status, reason)
         SELECT content_hash, raw, length(raw), source, received_at, envelope_from,
                ARRAY(SELECT jsonb_array_elements_text(envelope_to)), too_large,
                CASE WHEN too_large THEN 'review' ELSE 'received' END, CASE WHEN too_large THEN 'over the size limit' END
           FROM input ORDER BY n
         ON CONFLICT (content_hash) DO NOTHING
         RETURNING id, content_hash, status)
       SELECT id, content_hash, status, true AS inserted FROM ins
       UNION ALL
       SELECT id, content_hash, status, false FROM inbound_mails WHERE content_hash = ANY($1::text[])`,
    [
      mails.map((m) => m.hash),
      mails.map((m) => m.raw),
      mails.map((m) => m.source),
      mails.map((m) => m.receivedAt),
      mails.map((m) => m.envelopeFrom),
      mails.map((m) => JSON.stringify(m.envelopeTo)),
      mails.map((m) => m.tooLarge),
    ],
  );
  const byHash = new Map(rows.map((r) => [r.content_hash, r]));
  // A copy stored by another process while this statement ran is not in its snapshot: read it now.
  const unseen = mails.filter((m) => !byHash.has(m.hash)).map((m) => m.hash);
  if (unseen.length) {
    const later: typeof rows = await db.query(
      `SELECT id, content_hash, status, false AS inserted FROM inbound_mails WHERE content_hash = ANY($1::text[])`,
      [unseen],
    );
    for (const r of later) byHash.set(r.content_hash, r);
  }
  return mails.map((m) => {
    const row = byHash.get(m.hash);
    if (!row) throw new Error(`inbound mail ${m.hash} was neither stored nor found`);
    const stored = { id: row.id, duplicate: !row.inserted, status: row.status };
    row.inserted = false; // the same bytes later in this batch are a duplicate
    return stored;
  });
}

export async function inboundMailsById(
  db: DataSource,
  ids: string[],
): Promise<Array<InboundMailRow | null>> {
  const rows: InboundMailRow[] = await db.query(
    `SELECT id, raw, size, source, received_at, envelope_from, envelope_to, status, reason, too_large, ticket_id
       FROM inbound_mails WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export interface Conclusion {
  id: string;
  status: InboundStatus;
  reason: string | null;
  ticketId: string | null;
  senderKind: string | null;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
}

export async function concludeInboundMails(db: DataSource, list: Conclusion[]): Promise<void[]> {
  await db.query(
    `UPDATE inbound_mails m SET status = x.status, reason = x.reason, ticket_id = COALESCE(x.ticket_id, m.ticket_id),
            filed_at = CASE WHEN x.status IN ('filed','ignored') THEN now() ELSE m.filed_at END, attempts = m.attempts + 1,
            sender_kind = COALESCE(x.sender_kind, m.sender_kind), message_id = COALESCE(x.message_id, m.message_id),
            from_address = COALESCE(x.from_address, m.from_address), subject = COALESCE(x.subject, m.subject),
            text_body = COALESCE(x.text_body, m.text_body), html_body = COALESCE(x.html_body, m.html_body)
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         AS x(id, status, reason, ticket_id, sender_kind, message_id, from_address, subject, text_body, html_body)
      WHERE m.id = x.id`,
    [
      list.map((c) => c.id),
      list.map((c) => c.status),
      list.map((c) => c.reason),
      list.map((c) => c.ticketId),
      list.map((c) => c.senderKind),
      list.map((c) => c.messageId),
      list.map((c) => c.from),
      list.map((c) => c.subject),
      list.map((c) => c.text),
      list.map((c) => c.html),
    ],
  );
  return list.map(() => undefined);
}

export interface KnownMessageId {
  messageId: string;
  ticketId: string;
  direction: 'in' | 'out';
  kind: string | null;
  recipient: string | null;
}

export async function recordMessageIds(db: DataSource, list: KnownMessageId[]): Promise<void[]> {
  await db.query(
    `INSERT INTO mail_message_ids (message_id, ticket_id, direction, kind, recipient)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (message_id) DO NOTHING`,
    [
      list.map((m) => m.messageId),
      list.map((m) => m.ticketId),
      list.map((m) => m.direction),
      list.map((m) => m.kind),
      list.map((m) => m.recipient),
    ],
  );
  return list.map(() => undefined);
}

/** The Message-IDs of each list that we know (sent or received), for threading and loops. */
export async function knownMessageIds(
  db: DataSource,
  lists: string[][],
): Promise<KnownMessageId[][]> {
  const all = [...new Set(lists.flat())];
  const rows: KnownMessageId[] = all.length
    ? await db.query(
        `SELECT message_id AS "messageId", ticket_id AS "ticketId", direction, kind, recipient
           FROM mail_message_ids WHERE message_id = ANY($1::text[])`,
        [all],
      )
    : [];
  const byId = new Map(rows.map((r) => [r.messageId, r]));
  return lists.map((ids) => ids.flatMap((id) => byId.get(id) ?? []));
}

export interface AcknowledgementRequest {
  sender: string;
  ticketId: string | null;
  at: Date;
  limit: number;
}

/**
 * Grants each request unless `limit` acknowledgements went to its sender in the hour before it
 * (counting those granted earlier in the same batch), the address bounces, or the ticket has its
 * acknowledgement already (its mail filed again after a crash).
 */
export async function takeAcknowledgements(
  db: DataSource,
  list: AcknowledgementRequest[],
): Promise<boolean[]> {
  const rows: Array<{ n: string }> = await db.query(
    `WITH input AS (
       SELECT *, row_number() OVER (PARTITION BY sender ORDER BY n) AS k
         FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::int[]) WITH ORDINALITY AS x(sender, ticket_id, at, lim, n)
     ), granted AS (
       SELECT * FROM input i
        WHERE (SELECT count(*) FROM mail_acknowledgements a WHERE a.sender = i.sender AND a.sent_at > i.at - interval '1 hour') + i.k <= i.lim
          AND NOT EXISTS (SELECT 1 FROM mail_recipients r WHERE r.address = i.sender AND r.bouncing)
          AND NOT EXISTS (SELECT 1 FROM outbound_mails o WHERE o.ticket_id = i.ticket_id AND o.kind = 'acknowledgement')
     ), ins AS (
       INSERT INTO mail_acknowledgements (sender, ticket_id, sent_at) SELECT sender, ticket_id, at FROM granted ORDER BY n
     )
     SELECT n FROM granted`,
    [
      list.map((a) => a.sender.toLowerCase()),
      list.map((a) => a.ticketId),
      list.map((a) => a.at),
      list.map((a) => a.limit),
    ],
  );
  const granted = new Set(rows.map((r) => Number(r.n)));
  return list.map((_, i) => granted.has(i + 1));
}
