// What the web page and the PDF show of a quarterly report: tiles, chart series, tables and the
// definitions, derived here once so both print the same numbers with the same formatting.
// Pure: no Nest, no DOM, no Node API (the web app imports it through the @app/report-figures alias).
import type {
  AgeBucket,
  FirstResponseFigures,
  QuarterlyReport,
  SeverityKey,
} from '../report.types';

export type { IssuedReport, QuarterlyReport, ReportChange } from '../report.types';

export const SEVERITIES: SeverityKey[] = ['1', '2', '3'];
export const AGE_BUCKETS: AgeBucket[] = ['0-2', '3-7', '8-30', '>30'];
export const CHANNELS = ['email', 'web', 'phone', 'chat', 'api'] as const;
export const CHANNEL_LABELS: Record<(typeof CHANNELS)[number], string> = {
  email: 'E-mail',
  web: 'Web',
  phone: 'Phone',
  chat: 'Chat',
  api: 'API',
};

/** The desk's own target for first-response attainment (the contract names none): 95%, amber within 5 points. */
export const ATTAINMENT_TARGET = 0.95;
export const AMBER_MARGIN = 0.05;

export type Rag = 'green' | 'amber' | 'red' | 'none';

/** A report as stored: revisions issued before the monthly split may lack `firstResponse.byMonth`. */
export type ReportWithMonths = QuarterlyReport & {
  firstResponse: Omit<QuarterlyReport['firstResponse'], 'byMonth'> & {
    byMonth?: QuarterlyReport['firstResponse']['byMonth'];
  };
};

export interface Tile {
  key: string;
  label: string;
  value: string;
  detail: string;
  target: string;
  rag: Rag;
}

export interface Table {
  title: string;
  head: string[];
  rows: string[][];
}

export interface ReportFigures {
  title: string;
  period: string;
  status: string;
  tiles: Tile[];
  /** Met vs breached per severity, one group per month (or one for the quarter when not split by month). */
  firstResponseChart: {
    labels: string[];
    series: { severity: SeverityKey; met: number[]; breached: number[] }[];
  };
  availabilityChart: {
    labels: string[];
    /** Percent, e.g. 99.52. */
    availability: number[];
    goal: number[];
    budgetLeftMinutes: number[];
    downtimeMinutes: number[];
    /** The same figures as text, as the tables print them. */
    availabilityText: string[];
    budgetLeftText: string[];
  };
  channelChart: { labels: string[]; values: number[] };
  backlogChart: { labels: string[]; series: { severity: SeverityKey; values: number[] }[] };
  tables: Table[];
  definitions: { mark: string; text: string }[];
}

// ---- formatting: one formatter for each kind of figure, everywhere ----

/** 0.9375 → "93.8%"; null → "n/a". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return `${(value * 100).toFixed(digits)}%`;
}

/** Availability with two decimals: 0.99523 → "99.52%". */
export function formatAvailability(value: number | null | undefined): string {
  return formatPercent(value, 2);
}

/** Minutes as an integer count and readable: 125 → "125 min (2 h 05 min)"; 45 → "45 min"; null → "n/a". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return 'n/a';
  const whole = Math.round(minutes * 10) / 10;
  const text = Number.isInteger(whole) ? String(whole) : whole.toFixed(1);
  const abs = Math.abs(Math.round(minutes));
  if (abs < 60) return `${text} min`;
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `${text} min (${minutes < 0 ? '-' : ''}${h} h ${String(m).padStart(2, '0')} min)`;
}

/** A count as digits only, so every reader (and pdftotext) sees the JSON's number: 100000 → "100000". */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? 'n/a' : String(n);
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant in the contract's zone with its offset: "2026-10-05 14:03 +02:00". */
export function formatInstant(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return 'not restored';
  let format = instantFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    instantFormats.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(Date.parse(iso)).map((x) => [x.type, x.value]));
  const offset = (p.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${offset}`;
}

/** "2026-10" → "Oct 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const names = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  return `${names[(m ?? 1) - 1]} ${y}`;
}

// ---- red / amber / green ----

export function attainmentRag(attainment: number | null): Rag {
  if (attainment === null) return 'none';
  if (attainment >= ATTAINMENT_TARGET) return 'green';
  if (attainment >= ATTAINMENT_TARGET - AMBER_MARGIN) return 'amber';
  return 'red';
}

/** Green: goal kept with more than a quarter of the budget left; amber: kept, budget nearly spent; red: missed. */
export function availabilityRag(
  availability: number,
  goal: number,
  minutes: number,
  budgetLeft: number,
): Rag {
  if (availability < goal) return 'red';
  const budget = (1 - goal) * minutes;
  return budget > 0 && budgetLeft < budget / 4 ? 'amber' : 'green';
}

/** A goal above 1 is a number of minutes (at most), else a share (at least). */
export const isMinutesGoal = (goal: number) => goal > 1;

export function serviceGoalRag(value: number | null, goal: number, passed: boolean | null): Rag {
  if (passed === null || value === null) return 'none';
  if (!passed) return 'red';
  if (isMinutesGoal(goal)) return value > goal * 0.75 ? 'amber' : 'green';
  return value - goal < AMBER_MARGIN / 2 ? 'amber' : 'green';
}

/** A service goal's figure or goal: minutes, or a percentage. */
export function formatGoalValue(value: number | null, goal: number): string {
  return isMinutesGoal(goal) ? formatMinutes(value) : formatPercent(value);
}

// ---- the figures ----

function frRow(label: string, f: FirstResponseFigures): string[] {
  return [
    label,
    formatCount(f.met),
    formatCount(f.breached),
    formatCount(f.pending),
    formatPercent(f.attainment),
    formatMinutes(f.medianBusinessMinutes),
    formatMinutes(f.p90BusinessMinutes),
    formatMinutes(f.totalOverrunBusinessMinutes),
    formatMinutes(f.maxOverrunBusinessMinutes),
  ];
}

export function reportFigures(report: ReportWithMonths, organizationName?: string): ReportFigures {
  const fr = report.firstResponse;
  const act = report.activity;
  const zone = report.timeZone;

  const tiles: Tile[] = [
    {
      key: 'first-response',
      label: 'First response, all severities',
      value: formatPercent(fr.overall.attainment),
      detail: `${fr.overall.met} met, ${fr.overall.breached} breached, ${fr.overall.pending} pending`,
      target: `target ${formatPercent(ATTAINMENT_TARGET, 0)}`,
      rag: attainmentRag(fr.overall.attainment),
    },
    ...SEVERITIES.map((s) => ({
      key: `first-response-${s}`,
      label: `First response, Severity ${s}`,
      value: formatPercent(fr.bySeverity[s].attainment),
      detail: `${fr.bySeverity[s].met} met, ${fr.bySeverity[s].breached} breached`,
      target: `target ${formatPercent(ATTAINMENT_TARGET, 0)}`,
      rag: attainmentRag(fr.bySeverity[s].attainment),
    })),
    ...report.availability.map((m) => ({
      key: `availability-${m.month}`,
      label: `Availability ${monthLabel(m.month)}`,
      value: formatAvailability(m.availability),
      detail: `${formatMinutes(m.downtimeMinutes)} down, budget left ${formatMinutes(m.budgetLeftMinutes)}`,
      target: `goal ${formatAvailability(m.goal)}`,
      rag: availabilityRag(m.availability, m.goal, m.minutes, m.budgetLeftMinutes),
    })),
    ...report.serviceGoals.map((g) => ({
      key: `goal-${g.key}`,
      label: g.description,
      value: formatGoalValue(g.value, g.goal),
      detail: `${g.count} counted, ${g.passed === null ? 'n/a' : g.passed ? 'passed' : 'failed'}`,
      target: `goal ${isMinutesGoal(g.goal) ? 'at most ' : ''}${formatGoalValue(g.goal, g.goal)}`,
      rag: serviceGoalRag(g.value, g.goal, g.passed),
    })),
  ];

  const months = fr.byMonth && fr.byMonth.length > 0 ? fr.byMonth : null;
  const firstResponseChart = months
    ? {
        labels: months.map((m) => monthLabel(m.month)),
        series: SEVERITIES.map((s) => ({
          severity: s,
          met: months.map((m) => m.bySeverity[s]?.met ?? 0),
          breached: months.map((m) => m.bySeverity[s]?.breached ?? 0),
        })),
      }
    : {
        labels: [report.quarter],
        series: SEVERITIES.map((s) => ({
          severity: s,
          met: [fr.bySeverity[s].met],
          breached: [fr.bySeverity[s].breached],
        })),
      };

  const availabilityChart = {
    labels: report.availability.map((m) => monthLabel(m.month)),
    availability: report.availability.map((m) => round(m.availability * 100, 3)),
    goal: report.availability.map((m) => round(m.goal * 100, 3)),
    budgetLeftMinutes: report.availability.map((m) => m.budgetLeftMinutes),
    downtimeMinutes: report.availability.map((m) => m.downtimeMinutes),
    availabilityText: report.availability.map((m) => formatAvailability(m.availability)),
    budgetLeftText: report.availability.map((m) => formatMinutes(m.budgetLeftMinutes)),
  };

  const channelChart = {
    labels: CHANNELS.map((c) => CHANNEL_LABELS[c]),
    values: CHANNELS.map((c) => act.created.byChannel[c] ?? 0),
  };

  const backlogChart = {
    labels: AGE_BUCKETS.map((b) => `${b} days`),
    series: SEVERITIES.map((s) => ({
      severity: s,
      values: AGE_BUCKETS.map((b) => act.backlog.ageBuckets[b]?.bySeverity[s] ?? 0),
    })),
  };

  const tables: Table[] = [
    {
      title: 'First response (business time) [1]',
      head: [
        '',
        'met',
        'breached',
        'pending',
        'attainment',
        'median',
        'p90',
        'total overrun',
        'largest overrun',
      ],
      rows: [
        frRow('All', fr.overall),
        ...SEVERITIES.map((s) => frRow(`Severity ${s}`, fr.bySeverity[s])),
      ],
    },
    {
      title: 'Activity [2]',
      head: ['figure', 'value'],
      rows: [
        ['Tickets created', formatCount(act.created.total)],
        ...SEVERITIES.map((s) => [
          `Created, Severity ${s}`,
          formatCount(act.created.bySeverity[s]),
        ]),
        ...CHANNELS.map((c) => [
          `Created by ${CHANNEL_LABELS[c]}`,
          formatCount(act.created.byChannel[c]),
        ]),
        ...(['1', '2', '3'] as const).map((l) => [
          `Highest support level ${l}`,
          formatCount(act.created.bySupportLevel[l]),
        ]),
        ['Escalated (level 2 or 3)', `${act.escalated} (${formatPercent(act.escalationRate)})`],
        ['Tickets resolved', formatCount(act.resolved)],
        ['Reopened within 14 days', `${act.reopened} (${formatPercent(act.reopenRate)})`],
        ['Resolution, median', formatMinutes(act.resolution.medianBusinessMinutes)],
        ['Resolution, p90', formatMinutes(act.resolution.p90BusinessMinutes)],
        ['Re-classified', formatCount(act.reclassified)],
        ['Backlog at start', formatCount(act.backlog.start)],
        ['Backlog at end', formatCount(act.backlog.end)],
      ],
    },
    {
      title: 'Backlog age at the end of the period [3]',
      head: ['age', 'all', 'Severity 1', 'Severity 2', 'Severity 3'],
      rows: AGE_BUCKETS.map((b) => {
        const c = act.backlog.ageBuckets[b];
        return [
          `${b} days`,
          formatCount(c?.total ?? 0),
          ...SEVERITIES.map((s) => formatCount(c?.bySeverity[s] ?? 0)),
        ];
      }),
    },
    {
      title: 'Availability per month [4]',
      head: ['month', 'minutes', 'downtime', 'maintenance', 'availability', 'goal', 'budget left'],
      rows: report.availability.map((m) => [
        monthLabel(m.month),
        formatCount(m.minutes),
        formatMinutes(m.downtimeMinutes),
        formatMinutes(m.maintenanceMinutes),
        formatAvailability(m.availability),
        formatAvailability(m.goal),
        formatMinutes(m.budgetLeftMinutes),
      ]),
    },
    {
      title: 'Incidents [5]',
      head: ['reference', 'severity', 'start', 'restored', 'downtime'],
      rows: report.incidents.map((i) => [
        i.reference,
        String(i.severity),
        formatInstant(i.start, zone),
        formatInstant(i.restoredAt, zone),
        formatMinutes(i.downtimeMinutes),
      ]),
    },
  ];
  tables.push({
    title: 'Planned maintenance [7]',
    head: [
      'reference',
      'announced',
      'window start',
      'window end',
      'notice',
      'excluded',
      'downtime',
      'over cap',
    ],
    rows: (report.maintenance ?? []).map((w) => [
      w.reference,
      formatInstant(w.announcedAt, zone),
      formatInstant(w.start, zone),
      formatInstant(w.end, zone),
      w.noticeMet ? 'given' : 'late',
      formatMinutes(w.excludedMinutes),
      formatMinutes(w.downtimeMinutes),
      formatMinutes(w.overCapMinutes),
    ]),
  });
  if (act.backlog.oldest.length > 0) {
    tables.splice(3, 0, {
      title: 'Oldest open tickets at the end of the period',
      head: ['reference', 'severity', 'received', 'age (days)'],
      rows: act.backlog.oldest.map((o) => [
        o.reference,
        String(o.severity),
        formatInstant(o.receivedAt, zone),
        formatCount(o.ageDays),
      ]),
    });
  }
  if (report.serviceGoals.length > 0) {
    tables.push({
      title: 'Service goals [6]',
      head: ['goal', 'target', 'figure', 'count', 'result'],
      rows: report.serviceGoals.map((g) => [
        g.description,
        formatGoalValue(g.goal, g.goal),
        formatGoalValue(g.value, g.goal),
        formatCount(g.count),
        g.passed === null ? 'n/a' : g.passed ? 'passed' : 'failed',
      ]),
    });
  }

  return {
    title: `Quarterly report ${report.quarter}${organizationName ? `: ${organizationName}` : ''}`,
    period: `${formatInstant(report.from, zone)} to ${formatInstant(report.to, zone)} (${zone})`,
    status:
      report.revision === 0 || !report.issuedAt
        ? 'Draft: live figures, not issued'
        : `Revision ${report.revision}, issued ${formatInstant(report.issuedAt, zone)}`,
    tiles,
    firstResponseChart,
    availabilityChart,
    channelChart,
    backlogChart,
    tables,
    definitions: DEFINITIONS,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The definitions printed with the figures (footnotes in the PDF, notes on the page). */
export const DEFINITIONS: { mark: string; text: string }[] = [
  {
    mark: '[1]',
    text: 'A first-response target is decided at the earlier of the first public reply by staff and its due time: met when the reply came at or before the due time, else breached. It counts in the period holding that moment, with the severity in force then; targets not decided by the end of the period are pending and count later. Attainment = met / (met + breached), n/a when there are none. Median and p90 (nearest rank) are business minutes from receipt to first response; overruns are business minutes past the due time.',
  },
  {
    mark: '[2]',
    text: 'Tickets created in the period, by severity, channel and highest support level reached; escalated = reached level 2 or 3, as a share of those created. Resolved in the period, with median and p90 business minutes from receipt to resolution excluding time waiting on the customer; reopened within 14 days as a share of those resolved.',
  },
  {
    mark: '[3]',
    text: 'Open tickets at the start and the end of the period; the end backlog by age in calendar days at the end of the period.',
  },
  {
    mark: '[4]',
    text: "Availability of a month = 1 - U / M, M the minutes of the month (or of the contract's agreed operating time), U the union of downtime intervals clipped to the month. Planned maintenance announced with the contract's notice and within its monthly cap is excluded inside its window only; a late or over-cap window counts as downtime. Budget left = (1 - goal) x M - U.",
  },
  {
    mark: '[5]',
    text: "An incident is a Severity 1 ticket or an outage recorded by an admin; its downtime runs from its start (receipt, or an earlier recorded start) to the moment service was recorded as restored. Times in the contract's zone with their offset.",
  },
  {
    mark: '[6]',
    text: 'Service goals of the contract, each with its figure, the number of cases counted and pass/fail.',
  },
];
