import { Injectable } from '@nestjs/common';
import type { IssuedReport, QuarterlyReport } from './report.types';

/** Quarterly reports: live figures, issued (frozen) revisions and their CSV export. */
@Injectable()
export class ReportsService {
  /** The live figures of `quarter` (`2026-Q4`) for an organisation: a draft (revision 0). */
  async quarterly(organizationId: string, quarter: string): Promise<QuarterlyReport> {
    void organizationId;
    void quarter;
    throw new Error('not yet');
  }

  /** Freezes a new revision of the quarter's report. */
  async issue(
    organizationId: string,
    quarter: string,
    issuedBy: string | null,
  ): Promise<IssuedReport> {
    void organizationId;
    void quarter;
    void issuedBy;
    throw new Error('not yet');
  }

  /** An issued revision; 404 (DomainError not_found) when there is none. */
  async get(id: string): Promise<IssuedReport> {
    void id;
    throw new Error('not yet');
  }

  /** The CSV files of a report (tickets, targets, incidents, summary) as one zip. */
  csvZip(report: QuarterlyReport): Uint8Array {
    void report;
    throw new Error('not yet');
  }
}
