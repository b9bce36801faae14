import { AuthUser, CurrentUser } from '@app/identity';
import {
  BadRequestException,
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Header,
  Injectable,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  StreamableFile,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ATTACHMENT_LIMITS, AttachmentsService, UploadedFile } from './attachments.service';

const MB = ATTACHMENT_LIMITS.fileBytes / 2 ** 20;

/** multer's own limits, with messages that say what the limit is. */
@Injectable()
class AttachmentUpload extends FilesInterceptor('files', ATTACHMENT_LIMITS.filesPerRequest, {
  limits: {
    fileSize: ATTACHMENT_LIMITS.fileBytes,
    files: ATTACHMENT_LIMITS.filesPerRequest,
    fields: 5,
  },
  defParamCharset: 'utf8',
}) {
  async intercept(ctx: ExecutionContext, next: CallHandler) {
    try {
      return await super.intercept(ctx, next);
    } catch (e) {
      if (e instanceof PayloadTooLargeException)
        throw new PayloadTooLargeException(`Each file may be at most ${MB} MB.`);
      if (e instanceof BadRequestException && /Too many files|Unexpected field/.test(e.message))
        throw new BadRequestException(
          `Send at most ${ATTACHMENT_LIMITS.filesPerRequest} files at once, in the multipart field "files".`,
        );
      throw e;
    }
  }
}

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

  /** Files of the ticket: uploads and the attachments of its inbound mail. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.attachments.list(user, id);
  }

  /** Attach one or more files (multipart field `files`; 10 MB each, 25 MB per ticket). */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['files'],
      properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } },
    },
  })
  @UseInterceptors(AttachmentUpload)
  add(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @UploadedFiles() files: UploadedFile[],
  ) {
    return this.attachments.add(user, id, files);
  }

  /** The file itself, always as a download. */
  @Get(':attachmentId')
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
