import { invalid, notFound } from '@app/config';
import { AuthUser } from '@app/identity';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  attachmentsOf,
  attachmentWithContent,
  AttachmentView,
  toAttachmentView,
  UploadedFile,
} from './attachments';
import { TicketAccess } from './ticket-access';
import type { Visibility } from './ticket.types';
import { TicketsService } from './tickets.service';

/**
 * Files on a ticket: uploads from the web and every part of its inbound mail, in one table (the
 * mail channel's inbound_attachments). Each belongs to a message and takes its visibility. Listing
 * and downloading need the ticket's content (TicketAccess); internal files are for staff only.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsService,
  ) {}

  private async content(viewer: AuthUser, ticketId: string) {
    const row = await this.tickets.readable(viewer, ticketId);
    TicketAccess.assertMayWork(viewer, row);
    return row;
  }

  async list(viewer: AuthUser, ticketId: string): Promise<AttachmentView[]> {
    await this.content(viewer, ticketId);
    return attachmentsOf(this.db, ticketId, TicketAccess.maySeeInternal(viewer));
  }

  /** Files without words: a message of their own, with that visibility. */
  async add(
    viewer: AuthUser,
    ticketId: string,
    files: UploadedFile[],
    visibility: Visibility,
  ): Promise<AttachmentView[]> {
    if (!files?.length)
      throw invalid('no_files', 'Send one or more files in the multipart field "files".');
    const message = await this.tickets.addMessage(viewer, ticketId, { visibility, files });
    return message.attachments;
  }

  async download(
    viewer: AuthUser,
    ticketId: string,
    id: string,
  ): Promise<{ view: AttachmentView; content: Buffer }> {
    await this.content(viewer, ticketId);
    const row = await attachmentWithContent(
      this.db,
      ticketId,
      id,
      TicketAccess.maySeeInternal(viewer),
    );
    if (!row) throw notFound('attachment_not_found', `No attachment ${id} on ticket ${ticketId}.`);
    if (!row.content)
      throw notFound(
        'attachment_not_kept',
        `${row.filename} was too large to keep; only its name and size are known.`,
      );
    return { view: toAttachmentView(row), content: row.content };
  }
}
