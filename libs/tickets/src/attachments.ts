import { PayloadTooLargeException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Visibility } from './ticket.types';

/** Limits of files attached on the web: each file, and all uploads of one ticket together. */
export const ATTACHMENT_LIMITS = {
  fileBytes: 10 * 2 ** 20,
  ticketBytes: 25 * 2 ** 20,
  filesPerRequest: 10,
} as const;

/** A file as multer hands it over (memory storage). */
export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface AttachmentView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string | null;
  /** web: uploaded by a user; email: a part of an inbound mail. */
  source: 'web' | 'email';
  /** The message the file came with; null: the ticket's description (the mail that opened it). */
  messageId: string | null;
  /** Its message's visibility (the description is public): internal files are for staff only. */
  visibility: Visibility;
  uploadedBy: string | null;
  createdAt: string;
  /** False when the file was too large to keep (a mail attachment over the mail limit). */
  available: boolean;
}

/** What we may say a file's type is: a plain `type/subtype`, else application/octet-stream. */
export const safeContentType = (t: string | undefined) =>
  t && /^[\w.+-]+\/[\w.+-]+$/.test(t) ? t.toLowerCase() : 'application/octet-stream';

/** A file name without folders, control characters or quotes, at most 200 characters. */
export function safeFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200);
  return clean && clean !== '.' && clean !== '..' ? clean : 'attachment';
}

const COLUMNS = `a.id, a.ticket_id, a.filename, a.content_type, a.size, a.sha256, a.inbound_mail_id, a.uploaded_by, a.created_at,
  a.content IS NOT NULL AS available, a.message_id, coalesce(m.visibility, 'public') AS visibility`;
const FROM = `FROM inbound_attachments a LEFT JOIN ticket_messages m ON m.id = a.message_id`;
const ORDER = `ORDER BY a.created_at, a.inbound_mail_id, a.part, a.filename, a.id`;

export interface AttachmentRow {
  id: string;
  ticket_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string | null;
  inbound_mail_id: string | null;
  uploaded_by: string | null;
  created_at: Date;
  available: boolean;
  message_id: string | null;
  visibility: Visibility;
}

export const toAttachmentView = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  filename: r.filename,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256,
  source: r.inbound_mail_id ? 'email' : 'web',
  messageId: r.message_id,
  visibility: r.visibility,
  uploadedBy: r.uploaded_by,
  createdAt: new Date(r.created_at).toISOString(),
  available: r.available,
});

/** Every file of the ticket (mail parts inline or not), or only the public ones. */
export async function attachmentsOf(
  db: DataSource | EntityManager,
  ticketId: string,
  includeInternal: boolean,
): Promise<AttachmentView[]> {
  const rows: AttachmentRow[] = await db.query(
    `SELECT ${COLUMNS} ${FROM} WHERE a.ticket_id = $1 AND ($2 OR coalesce(m.visibility, 'public') = 'public') ${ORDER}`,
    [ticketId, includeInternal],
  );
  return rows.map(toAttachmentView);
}

/** The files of some messages (the live chat feed: a burst of messages in one query). */
export async function attachmentsOfMessages(
  db: DataSource | EntityManager,
  messageIds: string[],
): Promise<AttachmentView[]> {
  if (!messageIds.length) return [];
  const rows: AttachmentRow[] = await db.query(
    `SELECT ${COLUMNS} ${FROM} WHERE a.message_id = ANY($1::uuid[]) ${ORDER}`,
    [messageIds],
  );
  return rows.map(toAttachmentView);
}

/** One file of the ticket with its content, or null (also when it is internal and that is not allowed). */
export async function attachmentWithContent(
  db: DataSource,
  ticketId: string,
  id: string,
  includeInternal: boolean,
): Promise<(AttachmentRow & { content: Buffer | null }) | null> {
  const [row] = await db.query(
    `SELECT ${COLUMNS}, a.content ${FROM} WHERE a.ticket_id = $1 AND a.id = $2 AND ($3 OR coalesce(m.visibility, 'public') = 'public')`,
    [ticketId, id, includeInternal],
  );
  return row ?? null;
}

const mb = (n: number) => (n / 2 ** 20).toFixed(1);

/**
 * Writes uploaded files as the files of one message, inside the caller's transaction (which holds
 * the ticket's row lock, so that two uploads cannot both pass the ticket's limit).
 */
export async function writeUploads(
  m: EntityManager,
  ticketId: string,
  messageId: string,
  uploaderId: string,
  files: UploadedFile[],
): Promise<AttachmentView[]> {
  if (!files.length) return [];
  const [{ used }] = await m.query(
    `SELECT coalesce(sum(size), 0)::bigint AS used FROM inbound_attachments WHERE ticket_id = $1 AND inbound_mail_id IS NULL`,
    [ticketId],
  );
  const adding = files.reduce((n, f) => n + f.size, 0);
  if (Number(used) + adding > ATTACHMENT_LIMITS.ticketBytes) {
    throw new PayloadTooLargeException(
      `A ticket may hold at most ${ATTACHMENT_LIMITS.ticketBytes / 2 ** 20} MB of attached files; it has ${mb(Number(used))} MB and these are ${mb(adding)} MB.`,
    );
  }
  const rows: AttachmentRow[] = await m.query(
    `WITH a AS (
       INSERT INTO inbound_attachments (ticket_id, message_id, filename, content_type, size, content, uploaded_by, part)
       SELECT $1, $2, f.filename, f.content_type, f.size, f.content, $3, f.n
         FROM unnest($4::text[], $5::text[], $6::int[], $7::bytea[]) WITH ORDINALITY AS f(filename, content_type, size, content, n)
       RETURNING *)
     SELECT ${COLUMNS.replace(/coalesce\(m\.visibility, 'public'\)/, 'm.visibility')}
       FROM a JOIN ticket_messages m ON m.id = $2 ORDER BY a.part`,
    [
      ticketId,
      messageId,
      uploaderId,
      files.map((f) => safeFilename(f.originalname)),
      files.map((f) => safeContentType(f.mimetype)),
      files.map((f) => f.size),
      files.map((f) => f.buffer),
    ],
  );
  return rows.map(toAttachmentView);
}
