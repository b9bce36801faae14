import { forbidden, invalid, notFound } from '@app/config';
import { AuthUser } from '@app/identity';
import { Injectable, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TicketsService } from './tickets.service';

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

const SELECT = `SELECT id, filename, content_type, size, sha256, inbound_mail_id, uploaded_by, created_at, content IS NOT NULL AS available
  FROM inbound_attachments`;
interface AttachmentRow {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string | null;
  inbound_mail_id: string | null;
  uploaded_by: string | null;
  created_at: Date;
  available: boolean;
}
const toView = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  filename: r.filename,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256,
  source: r.inbound_mail_id ? 'email' : 'web',
  uploadedBy: r.uploaded_by,
  createdAt: new Date(r.created_at).toISOString(),
  available: r.available,
});

/**
 * Files on a ticket: uploads from the web and attachments of inbound mail, in one table (the mail
 * channel's inbound_attachments). Whoever may read a ticket's content may list, download and add them.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsService,
  ) {}

  private async mayWork(viewer: AuthUser, ticketId: string) {
    const row = await this.tickets.readable(viewer, ticketId);
    if (!this.tickets.canSeeContent(viewer, row))
      throw forbidden(
        'clearance_required',
        'This ticket involves OFFICIAL-SENSITIVE data: only cleared staff may see its attachments.',
      );
    return row;
  }

  async list(viewer: AuthUser, ticketId: string): Promise<AttachmentView[]> {
    await this.mayWork(viewer, ticketId);
    const rows = await this.db.query(
      `${SELECT} WHERE ticket_id = $1 AND NOT (inline AND inbound_mail_id IS NOT NULL) ORDER BY created_at, filename, id`,
      [ticketId],
    );
    return rows.map(toView);
  }

  async add(viewer: AuthUser, ticketId: string, files: UploadedFile[]): Promise<AttachmentView[]> {
    if (!files?.length)
      throw invalid('no_files', 'Send one or more files in the multipart field "files".');
    await this.mayWork(viewer, ticketId);
    return this.db.transaction(async (m) => {
      await m.query(`SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE`, [ticketId]);
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
      const out: AttachmentView[] = [];
      for (const f of files) {
        const [row] = await m.query(
          `INSERT INTO inbound_attachments (ticket_id, filename, content_type, size, content, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)
           RETURNING id, filename, content_type, size, sha256, inbound_mail_id, uploaded_by, created_at, true AS available`,
          [
            ticketId,
            safeFilename(f.originalname),
            safeContentType(f.mimetype),
            f.size,
            f.buffer,
            viewer.id,
          ],
        );
        out.push(toView(row));
      }
      return out;
    });
  }

  async download(
    viewer: AuthUser,
    ticketId: string,
    id: string,
  ): Promise<{ view: AttachmentView; content: Buffer }> {
    await this.mayWork(viewer, ticketId);
    const [row] = await this.db.query(
      `${SELECT.replace('FROM', ', content FROM')} WHERE ticket_id = $1 AND id = $2`,
      [ticketId, id],
    );
    if (!row) throw notFound('attachment_not_found', `No attachment ${id} on ticket ${ticketId}.`);
    if (!row.content)
      throw notFound(
        'attachment_not_kept',
        `${row.filename} was too large to keep; only its name and size are known.`,
      );
    return { view: toView(row), content: row.content };
  }
}

const mb = (n: number) => (n / 2 ** 20).toFixed(1);
