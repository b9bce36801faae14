import { AuthUser, OrganizationsService } from '@app/identity';
import { Injectable } from '@nestjs/common';
import { renderReportPdf } from './render/pdf';
import type { IssuedReport, QuarterlyReport } from './report.types';
import { ReportsService } from './reports.service';

export interface ReportFile {
  content: Buffer;
  filename: string;
  type: string;
}

/**
 * The report as a PDF, for the live draft, for issued revisions and for mail delivery. Who may read
 * it is ReportsService's rule (managers and admins, a customer admin their own organisation; else
 * "not found"); every export is recorded in the audit log.
 */
@Injectable()
export class ReportFilesService {
  constructor(
    private readonly reports: ReportsService,
    private readonly organizations: OrganizationsService,
  ) {}

  async draftPdf(user: AuthUser, organizationId: string, quarter: string): Promise<ReportFile> {
    this.reports.assertMayRead(user, organizationId);
    const report = await this.reports.quarterly(organizationId, quarter);
    return this.pdfOf(user, report, null);
  }

  async issuedPdf(user: AuthUser, id: string): Promise<ReportFile> {
    const report = await this.reports.get(id);
    this.reports.assertMayRead(user, report.organizationId);
    return this.pdfOf(user, report, report);
  }

  /** The PDF of a report, for mail delivery (no reader: the audit names the delivery). */
  async pdfForDelivery(
    report: QuarterlyReport,
  ): Promise<ReportFile & { organizationName: string }> {
    const name = await this.organizationName(report.organizationId);
    return {
      content: await renderReportPdf(report, { organizationName: name }),
      filename: `${fileStem(name, report)}.pdf`,
      type: 'application/pdf',
      organizationName: name,
    };
  }

  private async pdfOf(
    user: AuthUser,
    report: QuarterlyReport,
    issued: IssuedReport | null,
  ): Promise<ReportFile> {
    const name = await this.organizationName(report.organizationId);
    const content = await renderReportPdf(report, { organizationName: name });
    await this.reports.recordRead(user, 'report.export', this.details(report, issued, 'pdf'));
    return { content, filename: `${fileStem(name, report)}.pdf`, type: 'application/pdf' };
  }

  private details(report: QuarterlyReport, issued: IssuedReport | null, format: string) {
    return {
      format,
      organizationId: report.organizationId,
      quarter: report.quarter,
      revision: report.revision,
      reportId: issued?.id ?? null,
    };
  }

  private async organizationName(id: string): Promise<string> {
    return (await this.organizations.get(id)).name;
  }
}

/** `Nordisk-Demo-2026-Q3-r2`: ASCII, no spaces. */
export function fileStem(organizationName: string, report: QuarterlyReport): string {
  const org = organizationName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${org || 'organisation'}-${report.quarter}${report.revision > 0 ? `-r${report.revision}` : '-draft'}`;
}
