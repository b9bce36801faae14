import { AuditRead } from '@app/audit';
import { AuthUser, CurrentUser } from '@app/identity';
import {
  Body,
  Controller,
  Get,
  Header,
  Param,
  ParseUUIDPipe,
  Post,
  StreamableFile,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { UploadedFile } from './attachments';
import { AttachmentsService } from './attachments.service';
import { UploadFieldsDto } from './dto';
import { AttachmentUpload, FILES_SCHEMA } from './upload.interceptor';

/** Digits, letters and a few safe marks only: the plain `filename=` of Content-Disposition. */
const asciiName = (name: string) => name.replace(/[^\w.\- ()]/g, '_');

const rfc5987 = (name: string) =>
  encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** Files of the ticket (uploads and every part of its inbound mail); customers see public ones only. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.attachments.list(user, id);
  }

  /**
   * Attach files without words: they become a message of their own with that visibility (public by
   * default; internal for staff only). Files with words go with POST /api/tickets/:id/messages.
   */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['files'],
      properties: {
        files: FILES_SCHEMA,
        visibility: { type: 'string', enum: ['public', 'internal'], default: 'public' },
      },
    },
  })
  @UseInterceptors(AttachmentUpload)
  add(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() fields: UploadFieldsDto,
    @UploadedFiles() files: UploadedFile[],
  ) {
    return this.attachments.add(user, id, files, fields.visibility ?? 'public');
  }

  /** The file itself, always as a download. */
  @Get(':attachmentId')
  @AuditRead({ type: 'attachment', param: 'attachmentId', action: 'attachment.download' })
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
  ) {
    const { view, content } = await this.attachments.download(user, id, attachmentId);
    return new StreamableFile(content, {
      type: view.contentType,
      length: content.length,
      disposition: `attachment; filename="${asciiName(view.filename)}"; filename*=UTF-8''${rfc5987(view.filename)}`,
    });
  }
}
