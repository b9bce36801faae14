import { AuthUser, CurrentUser, Roles } from '@app/identity';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IssueReportDto, QuarterlyQuery, RevisionsQuery } from './dto';
import { ReportsService } from './reports.service';

/** Quarterly reports: managers and admins for every organisation, a customer admin for their own. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('manager', 'admin', 'customer_admin')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** The live figures of a quarter (revision 0, a draft while the quarter runs). Definitions: docs/reports.md. */
  @Get('quarterly')
  async quarterly(@CurrentUser() user: AuthUser, @Query() q: QuarterlyQuery) {
    this.reports.assertMayRead(user, q.organizationId);
    const report = await this.reports.quarterly(q.organizationId, q.quarter);
    await this.reports.recordRead(user, 'report.read', {
      organizationId: q.organizationId,
      quarter: q.quarter,
      revision: 0,
    });
    return report;
  }

  /** Freezes a new revision (figures, cut-off, calendar, policy and terms versions, checksum, CSV files). */
  @Roles('manager', 'admin')
  @Post('quarterly/issue')
  async issue(@CurrentUser() user: AuthUser, @Body() body: IssueReportDto) {
    this.reports.assertMayRead(user, body.organizationId);
    const report = await this.reports.issue(body.organizationId, body.quarter, user.id);
    await this.reports.recordRead(user, 'report.issue', {
      reportId: report.id,
      organizationId: body.organizationId,
      quarter: body.quarter,
      revision: report.revision,
    });
    return report;
  }

  /** The revisions issued for an organisation, newest first. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: RevisionsQuery) {
    this.reports.assertMayRead(user, q.organizationId);
    return this.reports.revisions(q.organizationId, q.quarter);
  }

  /** The CSV files of an issued revision: tickets, targets, incidents, maintenance, summary. */
  @Get(':id.csv.zip')
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'A zip of UTF-8 RFC 4180 CSV files' })
  @Header('Cache-Control', 'private, no-store')
  async csv(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const report = await this.readable(user, id);
    const zip = await this.reports.storedCsvZip(id);
    await this.reports.recordRead(user, 'report.export', { reportId: id, format: 'csv' });
    return new StreamableFile(zip, {
      type: 'application/zip',
      length: zip.length,
      disposition: `attachment; filename="report-${report.quarter}-r${report.revision}.csv.zip"`,
    });
  }

  /** An issued revision, with what changed against the one before. */
  @Get(':id')
  @HttpCode(200)
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    const report = await this.readable(user, id);
    await this.reports.recordRead(user, 'report.read', { reportId: id });
    return report;
  }

  private async readable(user: AuthUser, id: string) {
    const report = await this.reports.get(id);
    this.reports.assertMayRead(user, report.organizationId);
    return report;
  }
}
