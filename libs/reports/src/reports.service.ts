import { AuditService } from '@app/audit';
import { invalid, notFound } from '@app/config';
import { AuthUser, OrganizationsService } from '@app/identity';
import { PoliciesService } from '@app/severity';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AvailabilityService } from './availability.service';
import { computeReport, quarterPeriod, ReportInputError, type ComputedReport } from './core';
import { csvZip, type ReportDetail } from './csv';
import type { IssuedReport, QuarterlyReport, ReportChange } from './report.types';
import { ReportFactsRepository } from './report-facts.repository';

const hash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** Every leaf of a report by path (arrays by index), for "what changed". */
function leaves(value: unknown, path = '', out = new Map<string, unknown>()) {
  if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  else out.set(path, value);
  return out;
}

export function changesBetween(before: QuarterlyReport, after: QuarterlyReport): ReportChange[] {
  const strip = (r: QuarterlyReport) => ({ ...r, revision: undefined, issuedAt: undefined });
  const a = leaves(strip(before));
  const b = leaves(strip(after));
  const changes: ReportChange[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (path === 'revision' || path === 'issuedAt') continue;
    const from = a.has(path) ? a.get(path) : null;
    const to = b.has(path) ? b.get(path) : null;
    if (from !== to) changes.push({ path, from, to });
  }
  return changes;
}

interface Computed {
  report: QuarterlyReport;
  detail: ReportDetail;
  versions: { policyVersion: string; calendarVersion: string; termsVersion: string };
  asOf: number;
}

/** Quarterly reports: live figures, issued (frozen) revisions and their CSV export. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger('Reports');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: ReportFactsRepository,
    private readonly availability: AvailabilityService,
    private readonly orgs: OrganizationsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
  ) {}

  /** Managers and admins read every organisation's reports; a customer admin their own; others 404. */
  assertMayRead(viewer: AuthUser, organizationId: string): void {
    if (viewer.role === 'manager' || viewer.role === 'admin') return;
    if (viewer.role === 'customer_admin' && viewer.organizationId === organizationId) return;
    throw notFound(
      'report_not_found',
      `No report of organisation ${organizationId} that you may read.`,
    );
  }

  private async compute(
    organizationId: string,
    quarter: string,
    asOf = Date.now(),
  ): Promise<Computed> {
    const org = await this.orgs.get(organizationId);
    const policy = await this.policies.getPolicy(org.policyId);
    const { terms } = await this.availability.terms(org.policyId);
    const calendar = policy.document.calendar;
    let period;
    try {
      period = quarterPeriod(quarter, calendar.timeZone);
    } catch (err) {
      if (err instanceof ReportInputError) throw invalid('bad_quarter', err.message);
      throw err;
    }
    const end = Math.max(period.from, Math.min(period.to, asOf));
    const started = performance.now();
    const [tickets, outages, maintenance] = await Promise.all([
      this.facts.tickets(organizationId, period.from, end),
      this.facts.outages(organizationId, end),
      this.facts.maintenance(organizationId, period.from, end),
    ]);
    const otherPolicies = [...new Set(tickets.map((t) => t.policyId))].filter(
      (id) => id !== org.policyId,
    );
    const calendars: Record<string, typeof calendar> = {};
    for (const id of otherPolicies)
      calendars[id] = (await this.policies.getPolicy(id)).document.calendar;
    const loaded = performance.now();
    const computed: ComputedReport = computeReport({
      organizationId,
      quarter,
      calendar,
      calendars,
      terms,
      asOf,
      tickets,
      outages,
      maintenance,
    });
    this.logger.debug(
      `${quarter} of ${organizationId}: ${tickets.length} tickets loaded in ${Math.round(loaded - started)} ms, figures in ${Math.round(performance.now() - loaded)} ms`,
    );
    return {
      report: computed.report,
      detail: { computed, tickets },
      versions: {
        policyVersion: hash(policy.document),
        calendarVersion: hash(calendar),
        termsVersion: hash(terms),
      },
      asOf,
    };
  }

  /** The live figures of `quarter` (`2026-Q4`) for an organisation: a draft (revision 0). */
  async quarterly(organizationId: string, quarter: string): Promise<QuarterlyReport> {
    return (await this.compute(organizationId, quarter)).report;
  }

  /** Freezes a new revision of the quarter's report: figures, cut-off, versions, checksum, CSV files. */
  async issue(
    organizationId: string,
    quarter: string,
    issuedBy: string | null,
  ): Promise<IssuedReport> {
    const c = await this.compute(organizationId, quarter);
    const id = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `report:${organizationId}:${quarter}`,
      ]);
      const [prev] = await m.query(
        `SELECT revision, figures FROM report_revisions WHERE organization_id = $1 AND quarter = $2 ORDER BY revision DESC LIMIT 1`,
        [organizationId, quarter],
      );
      const revision = (prev?.revision ?? 0) + 1;
      const issuedAt = new Date();
      const report: QuarterlyReport = { ...c.report, revision, issuedAt: issuedAt.toISOString() };
      const checksum = createHash('sha256')
        .update(
          JSON.stringify({ ...c.report, cutOff: new Date(c.asOf).toISOString(), ...c.versions }),
        )
        .digest('hex');
      const changes = prev ? changesBetween(prev.figures, report) : [];
      const [row] = await m.query(
        `INSERT INTO report_revisions (organization_id, quarter, revision, issued_at, issued_by, cut_off, policy_version, calendar_version, terms_version, checksum, figures, changes, csv_zip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [
          organizationId,
          quarter,
          revision,
          issuedAt,
          issuedBy,
          new Date(c.asOf),
          c.versions.policyVersion,
          c.versions.calendarVersion,
          c.versions.termsVersion,
          checksum,
          JSON.stringify(report),
          JSON.stringify(changes),
          Buffer.from(csvZip(report, c.detail)),
        ],
      );
      return row.id as string;
    });
    return this.get(id);
  }

  /** An issued revision; 404 when there is none. */
  async get(id: string): Promise<IssuedReport> {
    const [row] = await this.db.query(
      `SELECT id, organization_id, quarter, revision, issued_at, issued_by, cut_off, policy_version, calendar_version, terms_version, checksum, figures, changes
         FROM report_revisions WHERE id = $1`,
      [id],
    );
    if (!row) throw notFound('report_not_found', `No report ${id}.`);
    return {
      ...(row.figures as QuarterlyReport),
      id: row.id,
      revision: row.revision,
      issuedAt: new Date(row.issued_at).toISOString(),
      cutOff: new Date(row.cut_off).toISOString(),
      issuedBy: row.issued_by,
      policyVersion: row.policy_version,
      calendarVersion: row.calendar_version,
      termsVersion: row.terms_version,
      checksum: row.checksum,
      changes: row.changes,
    };
  }

  /** The revisions issued for an organisation (and quarter), newest first. */
  async revisions(organizationId: string, quarter?: string) {
    const rows = await this.db.query(
      `SELECT id, quarter, revision, issued_at, checksum, jsonb_array_length(changes) AS changes FROM report_revisions
        WHERE organization_id = $1 AND ($2::text IS NULL OR quarter = $2) ORDER BY quarter DESC, revision DESC`,
      [organizationId, quarter ?? null],
    );
    return rows.map(
      (r: {
        id: string;
        quarter: string;
        revision: number;
        issued_at: Date;
        checksum: string;
        changes: string;
      }) => ({
        id: r.id,
        organizationId,
        quarter: r.quarter,
        revision: r.revision,
        issuedAt: new Date(r.issued_at).toISOString(),
        checksum: r.checksum,
        changes: Number(r.changes),
      }),
    );
  }

  /** The CSV files of a report (tickets, targets, incidents, maintenance, summary) as one zip. */
  csvZip(report: QuarterlyReport, detail?: ReportDetail): Uint8Array {
    return csvZip(report, detail);
  }

  /** The zip frozen with an issued revision. */
  async storedCsvZip(id: string): Promise<Buffer> {
    const [row] = await this.db.query(`SELECT csv_zip FROM report_revisions WHERE id = $1`, [id]);
    if (!row) throw notFound('report_not_found', `No report ${id}.`);
    return row.csv_zip as Buffer;
  }

  /** Reading and exporting a report is recorded in the audit log. */
  async recordRead(
    viewer: AuthUser,
    action: 'report.read' | 'report.export' | 'report.issue',
    details: Record<string, unknown>,
  ) {
    await this.audit.record(viewer.id, action, null, details);
  }
}
