// The CSV files of a report (UTF-8, RFC 4180, CRLF): tickets, targets, incidents, maintenance and a
// summary of every figure. Instants carry the contract zone's offset; durations are whole minutes.
// A cell that begins with = + - @ tab or CR gets a leading ' so that no spreadsheet runs it.
import { strToU8, zipSync } from 'fflate';
import type { ComputedReport, TicketFacts } from './core';
import { highestLevel, offsetAt, resolutionsOf } from './core';
import type { QuarterlyReport } from './report.types';

export type Cell = string | number | boolean | null | undefined;

/** One CSV field: neutralised, then quoted when it must be. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Numbers are figures (a negative budget stays a number); text is neutralised.
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvText = (header: string[], rows: Cell[][]): string =>
  [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/** ISO 8601 with the zone's offset, e.g. 2026-10-06T12:00:00+02:00. */
export function instantIn(zone: string, ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const off = offsetAt(zone, ms);
  const local = new Date(ms + off).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off) / 60_000;
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Every leaf of the report as `path,value` rows (arrays by index; incidents and maintenance have their own files). */
export function summaryRows(report: QuarterlyReport): Cell[][] {
  const rows: Cell[][] = [];
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else rows.push([path, value as Cell]);
  };
  const { incidents, maintenance, ...rest } = report;
  walk(rest, '');
  rows.push(['incidents.count', incidents.length], ['maintenance.count', maintenance.length]);
  return rows;
}

/** What the CSV files list besides the figures. */
export interface ReportDetail {
  computed: ComputedReport;
  tickets: TicketFacts[];
}

const parsedIso = (s: string | null) => (s === null ? null : Date.parse(s));

export function csvFiles(report: QuarterlyReport, detail?: ReportDetail): Record<string, string> {
  const zone = report.timeZone;
  const at = (ms: number | null | undefined) => instantIn(zone, ms);
  const from = Date.parse(report.from);
  const to = Date.parse(report.to);
  const files: Record<string, string> = {};
  const targets = detail?.computed.targets ?? [];
  const resolved = new Map((detail?.computed.resolved ?? []).map((r) => [r.ticket.id, r]));
  const decided = new Map(targets.map((r) => [r.ticket.id, r]));
  const listed = (detail?.tickets ?? []).filter(
    (t: TicketFacts) =>
      (t.receivedAt >= from && t.receivedAt < to) || resolved.has(t.id) || decided.has(t.id),
  );
  files['tickets.csv'] = csvText(
    [
      'reference',
      'receivedAt',
      'channel',
      'severity',
      'status',
      'highestSupportLevel',
      'resolvedAt',
      'resolutionBusinessMinutes',
      'reopenedWithin14Days',
    ],
    listed.map((t) => {
      const r = resolved.get(t.id);
      const res = resolutionsOf(t);
      return [
        t.reference,
        at(t.receivedAt),
        t.channel,
        t.severity,
        t.status,
        highestLevel(t, Infinity),
        at(r?.resolvedAt ?? res[res.length - 1]),
        r?.businessMinutes,
        r ? r.reopened : null,
      ];
    }),
  );
  files['targets.csv'] = csvText(
    [
      'reference',
      'metric',
      'severity',
      'receivedAt',
      'dueAt',
      'decidedAt',
      'outcome',
      'respondedAt',
      'responseBusinessMinutes',
      'responseCalendarMinutes',
      'overrunBusinessMinutes',
    ],
    targets.map((r) => [
      r.ticket.reference,
      'first_response',
      r.outcome.severity,
      at(r.ticket.receivedAt),
      at(r.dueAt),
      at(r.outcome.at),
      r.outcome.met ? 'met' : 'breached',
      at(r.outcome.reply),
      r.responseMinutes,
      r.outcome.reply === null
        ? null
        : Math.round((r.outcome.reply - r.ticket.receivedAt) / 60_000),
      r.overrunMinutes,
    ]),
  );
  files['incidents.csv'] = csvText(
    ['reference', 'start', 'restoredAt', 'downtimeMinutes', 'calendarMinutes', 'severity'],
    report.incidents.map((i) => [
      i.reference,
      at(parsedIso(i.start)),
      at(parsedIso(i.restoredAt)),
      i.downtimeMinutes,
      i.restoredAt === null
        ? null
        : Math.round((Date.parse(i.restoredAt) - Date.parse(i.start)) / 60_000),
      i.severity,
    ]),
  );
  files['maintenance.csv'] = csvText(
    [
      'reference',
      'start',
      'end',
      'announcedAt',
      'actualStart',
      'actualEnd',
      'noticeMet',
      'excludedMinutes',
      'downtimeMinutes',
      'overCapMinutes',
    ],
    report.maintenance.map((w) => [
      w.reference,
      at(parsedIso(w.start)),
      at(parsedIso(w.end)),
      at(parsedIso(w.announcedAt)),
      at(parsedIso(w.actualStart)),
      at(parsedIso(w.actualEnd)),
      w.noticeMet,
      w.excludedMinutes,
      w.downtimeMinutes,
      w.overCapMinutes,
    ]),
  );
  files['summary.csv'] = csvText(['figure', 'value'], summaryRows(report));
  return files;
}

/** The CSV files as one zip. */
export function csvZip(report: QuarterlyReport, detail?: ReportDetail): Uint8Array {
  const files = csvFiles(report, detail);
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = strToU8(text);
  return zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}
