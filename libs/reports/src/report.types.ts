// The quarterly report as the API returns it, the PDF prints it and the CSV files carry it.
// Field names are the ones issue 10 and ../shared/docs/reports.md use; every figure is defined there.

export type SeverityKey = '1' | '2' | '3';
export type AgeBucket = '0-2' | '3-7' | '8-30' | '>30';

/** First-response figures over the targets decided in the period. */
export interface FirstResponseFigures {
  met: number;
  breached: number;
  /** Targets not decided by the end of the period (they count in a later one). */
  pending: number;
  /** met ÷ (met + breached), 0..1; null when met + breached = 0 ("n/a"). */
  attainment: number | null;
  /** Nearest-rank median and p90 of business minutes from receipt to first public staff reply. */
  medianBusinessMinutes: number | null;
  p90BusinessMinutes: number | null;
  totalOverrunBusinessMinutes: number;
  maxOverrunBusinessMinutes: number;
}

/** The targets decided in one month (`YYYY-MM`, contract zone): met and breached per severity. */
export interface MonthFirstResponse {
  month: string;
  bySeverity: Record<SeverityKey, { met: number; breached: number }>;
}

export interface CountBy {
  total: number;
  bySeverity: Record<SeverityKey, number>;
}

export interface ActivityFigures {
  created: CountBy & {
    byChannel: Record<'email' | 'web' | 'phone' | 'chat' | 'api', number>;
    /** By the highest support level the ticket reached. */
    bySupportLevel: Record<'1' | '2' | '3', number>;
  };
  /** Tickets resolved in the period. */
  resolved: number;
  /** Tickets created in the period that reached support level 2 or 3. */
  escalated: number;
  /** escalated ÷ created.total; null when nothing was created. */
  escalationRate: number | null;
  /** Tickets resolved in the period and reopened within 14 days of that resolution. */
  reopened: number;
  /** reopened ÷ resolved; null when nothing was resolved. */
  reopenRate: number | null;
  /** Receipt to resolution in business minutes, time waiting on the customer excluded. */
  resolution: { medianBusinessMinutes: number | null; p90BusinessMinutes: number | null };
  /** Tickets re-classified (severity changed) among those whose first response counts here. */
  reclassified: number;
  backlog: {
    start: number;
    end: number;
    /** The end backlog's age in calendar days at the end of the period. */
    ageBuckets: Record<AgeBucket, CountBy>;
    oldest: { reference: string; severity: number; receivedAt: string; ageDays: number }[];
  };
}

export interface MonthAvailability {
  /** `YYYY-MM` in the contract's time zone. */
  month: string;
  /** Minutes measured: the whole month, or its agreed operating time where the contract says so. */
  minutes: number;
  /** Union of downtime intervals clipped to the month (and to operating time). */
  downtimeMinutes: number;
  /** Minutes of announced, within-notice, within-cap maintenance excluded from the month. */
  maintenanceMinutes: number;
  /** 1 − downtimeMinutes ÷ minutes. */
  availability: number;
  /** The contract's goal, e.g. 0.995. */
  goal: number;
  /** goal × minutes allowed as downtime, minus downtimeMinutes (negative when the goal is missed). */
  budgetLeftMinutes: number;
}

export interface IncidentRow {
  /** The ticket's reference (e.g. `HD-42`), or the outage's for one recorded without a ticket. */
  reference: string;
  start: string;
  /** null while service is not restored. */
  restoredAt: string | null;
  /** Downtime minutes of this incident inside the period. */
  downtimeMinutes: number;
  severity: number;
}

export interface ServiceGoalFigure {
  key: string;
  description: string;
  goal: number;
  value: number | null;
  count: number;
  passed: boolean | null;
}

export interface QuarterlyReport {
  organizationId: string;
  /** `2026-Q4`. */
  quarter: string;
  timeZone: string;
  /** The period [from, to) as UTC instants. */
  from: string;
  to: string;
  /** 0 for a live draft; 1, 2, … for issued revisions. */
  revision: number;
  /** null for a live draft. */
  issuedAt: string | null;
  firstResponse: {
    overall: FirstResponseFigures;
    bySeverity: Record<SeverityKey, FirstResponseFigures>;
    /** Met and breached per severity in each month of the period (by the month of the decision). */
    byMonth: MonthFirstResponse[];
  };
  activity: ActivityFigures;
  availability: MonthAvailability[];
  incidents: IncidentRow[];
  /** Planned maintenance windows that touch the period. */
  maintenance: MaintenanceRow[];
  serviceGoals: ServiceGoalFigure[];
}

/** A planned maintenance window as the report shows it: excluded, or late / over the cap and so downtime. */
export interface MaintenanceRow {
  reference: string;
  /** The announced window. */
  start: string;
  end: string;
  announcedAt: string;
  /** When the service was actually down for it (the announced ends unless corrected). */
  actualStart: string;
  actualEnd: string;
  /** Whether the contract's notice was given (true when the contract asks none). */
  noticeMet: boolean;
  /** Minutes of the window excluded from downtime (measured as the month's minutes are). */
  excludedMinutes: number;
  /** Minutes of the window counted as downtime: late, over the monthly cap, or outside the announced window. */
  downtimeMinutes: number;
  /** Minutes beyond the monthly cap (counted as downtime). */
  overCapMinutes: number;
}

/** What a later revision changed against the one before: one line per figure. */
export interface ReportChange {
  /** JSON path of the figure, e.g. `firstResponse.bySeverity.1.met`. */
  path: string;
  from: unknown;
  to: unknown;
}

/** A frozen revision of a quarterly report. */
export interface IssuedReport extends QuarterlyReport {
  id: string;
  /** The instant up to which stored events were read. */
  cutOff: string;
  issuedBy: string | null;
  /** Versions (content hashes) of the policy, its calendar and its contract terms in force. */
  policyVersion: string;
  calendarVersion: string;
  termsVersion: string;
  /** sha256 of the figures (the report without id, issuedAt, issuedBy, checksum, changes). */
  checksum: string;
  /** Against the previous revision; empty for revision 1. */
  changes: ReportChange[];
}
