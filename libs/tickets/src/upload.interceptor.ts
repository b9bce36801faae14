import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ATTACHMENT_LIMITS } from './attachments';

const MB = ATTACHMENT_LIMITS.fileBytes / 2 ** 20;

/**
 * Files in the multipart field `files`, with multer's limits and messages that say what the limit
 * is. A request that is not multipart (a JSON message) passes untouched.
 */
@Injectable()
export class AttachmentUpload extends FilesInterceptor('files', ATTACHMENT_LIMITS.filesPerRequest, {
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

/** The OpenAPI schema of the multipart field `files`. */
export const FILES_SCHEMA = {
  type: 'array',
  items: { type: 'string', format: 'binary' },
  description: `Up to ${ATTACHMENT_LIMITS.filesPerRequest} files, ${MB} MB each, ${ATTACHMENT_LIMITS.ticketBytes / 2 ** 20} MB per ticket (multipart/form-data only).`,
} as const;
