import { AuthUser, CurrentUser, Roles } from '@app/identity';
import {
  Controller,
  Get,
  Header,
  Param,
  ParseUUIDPipe,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { QuarterlyQuery } from './dto';
import { ReportDeliveryService } from './delivery/report-delivery.service';
import { ReportFile, ReportFilesService } from './report-files.service';

function download(file: ReportFile): StreamableFile {
  return new StreamableFile(file.content, {
    type: file.type,
    length: file.content.length,
    disposition: `attachment; filename="${file.filename}"`,
  });
}

/**
 * The report as files. Registered before the JSON routes so that `:id.pdf` is not read as an `:id`.
 * Managers and admins for every organisation; a customer admin for their own.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportFilesController {
  constructor(
    private readonly files: ReportFilesService,
    private readonly deliveries: ReportDeliveryService,
  ) {}

  /**
   * Admins: every quarterly delivery (issued and mailed on the first business day after the quarter),
   * `[{organizationId, organizationName, quarter, dueAt, status: pending|queued|sent|failed, reportId,
   * revision, recipients, attempts, lastError, sentAt}]`; a failure keeps its error and is retried.
   */
  @Roles('admin')
  @Get('deliveries')
  @ApiOkResponse({ description: 'Quarterly report deliveries, newest quarter first' })
  list() {
    return this.deliveries.list();
  }

  /** The live figures of a quarter (a draft while it runs) as a PDF. */
  @Roles('admin', 'manager', 'customer_admin')
  @Get('quarterly.pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The draft report as a PDF' })
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  async draftPdf(@CurrentUser() user: AuthUser, @Query() q: QuarterlyQuery) {
    return download(await this.files.draftPdf(user, q.organizationId, q.quarter));
  }

  /** An issued revision as a PDF: the same figures, charts and definitions as the Reports page. */
  @Roles('admin', 'manager', 'customer_admin')
  @Get(':id.pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The issued report as a PDF' })
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  async pdf(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return download(await this.files.issuedPdf(user, id));
  }
}
