import { AuditRead } from '@app/audit';
import { DomainError, invalid } from '@app/config';
import { AuthUser, CurrentUser, Public, Roles } from '@app/identity';
import { TicketAccess, TicketsRepository } from '@app/tickets';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { FilingService } from './filing.service';
import { InboundMailRepository, InboundStatus } from './inbound-mail.repository';
import { InboundStore } from './inbound-store.service';
import { MailConfig } from './mail.config';
import { inboundDetailView, inboundSummaryView, ticketFilesView } from './mail-views';

async function readRaw(req: Request, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit)
      throw new PayloadTooLargeException(`message is over the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `POST /api/inbound/mime`: a raw RFC 822 message from a mail provider or a procmail-style pipe. */
@ApiTags('mail')
@Controller('inbound')
export class InboundMimeController {
  constructor(
    private readonly store: InboundStore,
    private readonly config: MailConfig,
  ) {}

  @Public()
  @Post('mime')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Take a raw RFC 822 message (Authorization: Bearer <INBOUND_MIME_TOKEN>)',
  })
  async mime(@Req() req: Request): Promise<{ id: string; duplicate: boolean; status: string }> {
    const token = this.config.INBOUND_MIME_TOKEN;
    if (!token)
      throw new DomainError(
        'not_found',
        'inbound_disabled',
        'the inbound endpoint is not enabled (INBOUND_MIME_TOKEN is not set)',
      );
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
    if (!same(given, token))
      throw new DomainError('unauthorized', 'inbound_token', 'a valid Bearer token is needed');
    const raw = await readRaw(req, this.config.MAIL_MAX_MESSAGE_BYTES);
    if (!raw.length)
      throw invalid(
        'mail_empty',
        'the body must be a raw RFC 822 message (Content-Type: message/rfc822)',
      );
    if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(raw.subarray(0, 4096).toString('latin1')))
      throw invalid(
        'mail_not_rfc822',
        'the body has no header lines; send the raw RFC 822 message',
      );
    const receipt = await this.store.receive(raw, { source: 'api', receivedAt: new Date() });
    return { id: receipt.id, duplicate: receipt.duplicate, status: receipt.status };
  }
}

/** Admins' view of inbound mail: the review list, and re-filing a mail by hand. */
@ApiTags('mail')
@Controller('mail')
export class MailAdminController {
  constructor(
    private readonly repo: InboundMailRepository,
    private readonly filing: FilingService,
    private readonly tickets: TicketsRepository,
  ) {}

  @Roles('admin')
  @Get('inbound/:id')
  @AuditRead({ type: 'inbound_mail', param: 'id', action: 'mail.read' })
  @ApiOperation({
    summary:
      'One inbound mail: sender, subject, plain text, sanitised HTML, attachments, what was done and why',
  })
  async detail(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthUser) {
    const d = await this.repo.detail(id);
    if (!d) throw new DomainError('not_found', 'mail_not_found', `no inbound mail ${id}`);
    return inboundDetailView(user, d);
  }

  @Roles('agent', 'manager', 'admin')
  @Get('attachments/:id')
  @AuditRead({ type: 'mail_attachment', param: 'id', action: 'attachment.download' })
  @ApiOperation({ summary: 'Download an attachment received by mail' })
  async download(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ) {
    const a = await this.repo.attachment(id);
    if (!a) throw new DomainError('not_found', 'attachment_not_found', `no attachment ${id}`);
    TicketAccess.assertMayWork(user, a);
    if (!a.content)
      throw new DomainError(
        'conflict',
        'attachment_too_large',
        `${a.filename} was over the size limit: only its name and size were kept (the raw mail has it)`,
      );
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
    );
    res.setHeader('X-Original-Content-Type', a.contentType.replace(/[^\x20-\x7e]/g, ''));
    res.end(a.content);
  }

  @Roles('admin')
  @Get('inbound')
  @ApiOperation({ summary: 'Inbound mails, newest first (status=review for the review list)' })
  @ApiQuery({ name: 'status', required: false, enum: ['received', 'filed', 'review', 'ignored'] })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  })
  async list(
    @CurrentUser() user: AuthUser,
    @Query('status') status?: string,
    @Query('limit') limit?: string,
  ) {
    const statuses = ['received', 'filed', 'review', 'ignored'];
    if (status && !statuses.includes(status))
      throw invalid('mail_status', `status must be one of ${statuses.join(', ')}`);
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw invalid('mail_limit', 'limit must be an integer from 1 to 1000');
    return (await this.repo.list((status as InboundStatus) ?? null, n)).map((m) =>
      inboundSummaryView(user, m),
    );
  }

  @Roles('admin')
  @Post('inbound/:id/refile')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'File a mail from the review list again (after fixing what was wrong, e.g. adding the sender)',
  })
  async refile(@Param('id', new ParseUUIDPipe()) id: string, @Body() _body: unknown) {
    const row = await this.repo.get(id);
    if (!row) throw new DomainError('not_found', 'mail_not_found', `no inbound mail ${id}`);
    if (row.status === 'filed')
      throw new DomainError('conflict', 'mail_filed', `mail ${id} is filed already`);
    return this.filing.file(id, true);
  }

  @Roles('agent', 'manager', 'admin')
  @Get('tickets/:ticketId')
  @ApiOperation({
    summary:
      "A ticket's mail: deliveries of our mails (bounces shown), bouncing recipients, attachments received",
  })
  async ofTicket(
    @Param('ticketId', new ParseUUIDPipe()) ticketId: string,
    @CurrentUser() user: AuthUser,
  ) {
    const ticket = await this.tickets.findRow(ticketId);
    const deliveries = await this.repo.deliveriesOfTicket(ticketId);
    const bouncing = await this.repo.bouncingOf([
      ...new Set(deliveries.map((d) => d.recipient).filter((r): r is string => !!r)),
    ]);
    return {
      deliveries,
      bouncingRecipients: bouncing,
      attachments: ticketFilesView(user, ticket, await this.repo.attachmentsOfTicket(ticketId)),
    };
  }
}
