import { AuditService } from '@app/audit';
import { DEFAULT_CALENDAR, parseCalendar, type CalendarDocument } from '@app/business-hours';
import { AppConfig } from '@app/config';
import { NotificationsService } from '@app/notifications';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatAvailability, formatPercent, monthLabel } from '../render/figures';
import { ReportFilesService } from '../report-files.service';
import type { IssuedReport } from '../report.types';
import { ReportsService } from '../reports.service';
import { quarterDue } from './schedule';

/** A delivery tried this many times (issue, render, mail) is left failed for an admin to see. */
export const DELIVERY_ATTEMPTS = 8;
/** How long a worker holds a delivery it works on; after that another worker may take it over. */
const CLAIM_SECONDS = 300;
const MAX_BACKOFF_MS = 3_600_000;

export interface ReportDelivery {
  id: string;
  organizationId: string;
  organizationName: string;
  quarter: string;
  dueAt: string;
  /** pending: not mailed yet; queued: the mail is on its way; sent; failed (retried until attempts run out). */
  status: 'pending' | 'queued' | 'sent' | 'failed';
  reportId: string | null;
  revision: number | null;
  mailId: string | null;
  recipients: string[];
  attempts: number;
  lastError: string | null;
  updatedAt: string;
  sentAt: string | null;
}

interface DeliveryRow {
  id: string;
  organization_id: string;
  quarter: string;
  report_id: string | null;
  revision: number | null;
  attempts: number;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Quarterly delivery: on the first business day after a quarter (the contract's calendar) every
 * organisation's report is issued and mailed with its PDF to the principal contact and the managers.
 * One row per organisation and quarter (unique) makes it happen once however many workers run; a
 * worker claims a row for a few minutes and records each step, so one that dies is taken over, and a
 * mail that finally fails is mailed again (backoff) until DELIVERY_ATTEMPTS, visible to admins.
 */
@Injectable()
export class ReportDeliveryService {
  private readonly logger = new Logger(ReportDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: ReportsService,
    private readonly files: ReportFilesService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** One pass: adds the deliveries that have come due, notes failed mails, and works every open delivery. */
  async run(now = Date.now()): Promise<{ created: number; mailed: number; failed: number }> {
    const created = await this.createDue(now);
    await this.db.query(
      `UPDATE report_deliveries d SET status = 'failed', last_error = 'mail: ' || coalesce(m.last_error, 'failed'), updated_at = now()
         FROM outbound_mails m
        WHERE m.id = d.mail_id AND d.status = 'mailed' AND m.status = 'failed'`,
    );
    const open: { id: string }[] = await this.db.query(
      `SELECT id FROM report_deliveries
        WHERE (claimed_until IS NULL OR claimed_until < now())
          AND (status = 'pending'
               OR (status = 'failed' AND attempts < $1
                   AND updated_at <= now() - interval '1 millisecond' * least($2 * power(2, attempts - 1), $3)))
        ORDER BY due_at, id`,
      [DELIVERY_ATTEMPTS, this.config.MAIL_BACKOFF_MS, MAX_BACKOFF_MS],
    );
    let mailed = 0;
    let failed = 0;
    for (const { id } of open) {
      const row = await this.claim(id);
      if (!row) continue;
      if (await this.deliver(row)) mailed++;
      else failed++;
    }
    return { created, mailed, failed };
  }

  /** A row for every organisation whose last quarter's delivery time has come (none twice). */
  private async createDue(now: number): Promise<number> {
    const orgs: { id: string; calendar: unknown }[] = await this.db.query(
      `SELECT o.id, p.document->'calendar' AS calendar FROM organizations o JOIN sla_policies p ON p.id = o.policy_id`,
    );
    const due = orgs.map((o) => ({
      organizationId: o.id,
      ...quarterDue(calendarOf(o.calendar), now),
    }));
    if (due.length === 0) return 0;
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO report_deliveries (organization_id, quarter, due_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])
       ON CONFLICT (organization_id, quarter) DO NOTHING RETURNING id`,
      [
        due.map((d) => d.organizationId),
        due.map((d) => d.quarter),
        due.map((d) => new Date(d.dueAt).toISOString()),
      ],
    );
    return inserted.length;
  }

  private async claim(id: string): Promise<DeliveryRow | null> {
    const [rows] = await this.db.query(
      `UPDATE report_deliveries SET claimed_until = now() + interval '1 second' * $2, attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND status <> 'mailed' AND (claimed_until IS NULL OR claimed_until < now())
        RETURNING id, organization_id, quarter, report_id, revision, attempts`,
      [id, CLAIM_SECONDS],
    );
    return (rows as DeliveryRow[])[0] ?? null;
  }

  /** Issues the report (once), renders its PDF and records the mail with the delivery's new state. */
  private async deliver(row: DeliveryRow): Promise<boolean> {
    try {
      let report: IssuedReport;
      if (row.report_id) report = await this.reports.get(row.report_id);
      else {
        report = await this.reports.issue(row.organization_id, row.quarter, null);
        await this.db.query(
          `UPDATE report_deliveries SET report_id = $2, revision = $3, updated_at = now() WHERE id = $1`,
          [row.id, report.id, report.revision],
        );
      }
      const pdf = await this.files.pdfForDelivery(report);
      const recipients = await this.recipients(row.organization_id);
      const mailId = await this.db.transaction(async (m) => {
        const mail = await this.notifications.record(
          {
            kind: 'report',
            to: recipients,
            subject: `Quarterly report ${report.quarter}: ${pdf.organizationName}`,
            body: this.body(report, pdf.organizationName),
            attachments: [{ filename: pdf.filename, contentType: pdf.type, content: pdf.content }],
          },
          m,
        );
        await m.query(
          `UPDATE report_deliveries SET status = 'mailed', mail_id = $2, last_error = NULL, claimed_until = NULL, updated_at = now() WHERE id = $1`,
          [row.id, mail.id],
        );
        return mail.id;
      });
      await this.notifications.dispatch([mailId]);
      await this.audit.record(null, 'report.delivery', null, {
        organizationId: row.organization_id,
        quarter: row.quarter,
        reportId: report.id,
        revision: report.revision,
        recipients,
      });
      this.logger.log(
        `quarterly report ${row.quarter} of organisation ${row.organization_id} mailed to ${recipients.length} recipients`,
      );
      return true;
    } catch (err) {
      this.logger.warn(
        `quarterly report ${row.quarter} of organisation ${row.organization_id}, attempt ${row.attempts}: ${errorText(err)}`,
      );
      await this.db.query(
        `UPDATE report_deliveries SET status = 'failed', last_error = $2, claimed_until = NULL, updated_at = now() WHERE id = $1`,
        [row.id, errorText(err)],
      );
      return false;
    }
  }

  /** The organisation's principal contact and every manager, active ones only. */
  private async recipients(organizationId: string): Promise<string[]> {
    const rows: { email: string }[] = await this.db.query(
      `SELECT u.email FROM organizations o JOIN users u ON u.id = o.principal_user_id AND u.active WHERE o.id = $1
       UNION
       SELECT email FROM users WHERE role = 'manager' AND active`,
      [organizationId],
    );
    return rows.map((r) => r.email).sort();
  }

  private body(report: IssuedReport, organizationName: string): string {
    const fr = report.firstResponse.overall;
    const q = new URLSearchParams({
      organizationId: report.organizationId,
      quarter: report.quarter,
    });
    return [
      `The quarterly incident and activity report of ${organizationName} for ${report.quarter} (revision ${report.revision}) is attached as a PDF.`,
      '',
      `First response: ${formatPercent(fr.attainment)} met (${fr.met} met, ${fr.breached} breached).`,
      ...report.availability.map(
        (m) =>
          `Availability ${monthLabel(m.month)}: ${formatAvailability(m.availability)} (goal ${formatAvailability(m.goal)}).`,
      ),
      `Incidents: ${report.incidents.length}. Tickets created: ${report.activity.created.total}.`,
      '',
      `The same figures, with their definitions, on the Reports page: ${this.config.PUBLIC_URL.replace(/\/$/, '')}/reports?${q}`,
    ].join('\n');
  }

  /** Every delivery, newest quarter first, for admins. */
  async list(): Promise<ReportDelivery[]> {
    const rows = await this.db.query(
      `SELECT d.*, o.name AS organization_name, m.status AS mail_status, m.to_addresses, m.sent_at
         FROM report_deliveries d JOIN organizations o ON o.id = d.organization_id
         LEFT JOIN outbound_mails m ON m.id = d.mail_id
        ORDER BY d.quarter DESC, o.name`,
    );
    return rows.map(
      (r: {
        id: string;
        organization_id: string;
        organization_name: string;
        quarter: string;
        due_at: Date;
        status: 'pending' | 'mailed' | 'failed';
        mail_status: 'queued' | 'sent' | 'failed' | null;
        report_id: string | null;
        revision: number | null;
        mail_id: string | null;
        to_addresses: string[] | null;
        attempts: number;
        last_error: string | null;
        updated_at: Date;
        sent_at: Date | null;
      }) => ({
        id: r.id,
        organizationId: r.organization_id,
        organizationName: r.organization_name,
        quarter: r.quarter,
        dueAt: new Date(r.due_at).toISOString(),
        status: r.status === 'mailed' ? (r.mail_status === 'sent' ? 'sent' : 'queued') : r.status,
        reportId: r.report_id,
        revision: r.revision,
        mailId: r.mail_id,
        recipients: r.to_addresses ?? [],
        attempts: r.attempts,
        lastError: r.last_error,
        updatedAt: new Date(r.updated_at).toISOString(),
        sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
      }),
    );
  }
}

function calendarOf(doc: unknown): CalendarDocument {
  try {
    return doc ? parseCalendar(doc) : DEFAULT_CALENDAR;
  } catch {
    return DEFAULT_CALENDAR;
  }
}
