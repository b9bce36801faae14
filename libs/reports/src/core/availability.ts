// Incidents and availability (reports.md): downtime is the union of incident intervals (Severity 1
// tickets from start to recorded restoration, outages recorded without a ticket) and of maintenance
// actually done; a maintenance window excludes what falls inside its announced window, when it was
// announced with the contract's notice and within the monthly cap (measured in operating time).
// A(m) = 1 − U ÷ M over the month (or its agreed operating time).
import {
  businessIntervals,
  describeLocalDay,
  localDayOf,
  type CalendarDocument,
} from '@app/business-hours';
import type { IncidentRow, MaintenanceRow, MonthAvailability } from '../report.types';
import type { MaintenanceFacts, OutageFacts, TicketFacts } from './facts';
import {
  clip,
  intersect,
  measure,
  minutes,
  splitAtMeasure,
  subtract,
  union,
  type Interval,
} from './intervals';
import type { MonthPeriod } from './period';
import type { ContractTerms } from './terms';

/** Working days (days the calendar is open at all) strictly between the two instants' local dates. */
export function workingDaysBetween(calendar: CalendarDocument, a: number, b: number): number {
  let n = 0;
  const last = localDayOf(calendar, b);
  for (let day = localDayOf(calendar, a) + 1; day < last; day++)
    if (describeLocalDay(calendar, day).hours.length) n++;
  return n;
}

export function noticeMet(
  w: MaintenanceFacts,
  terms: ContractTerms,
  calendar: CalendarDocument,
): boolean {
  const days = terms.maintenanceNoticeWorkingDays;
  if (w.announcedAt > w.start) return false;
  return days === null || workingDaysBetween(calendar, w.announcedAt, w.start) >= days;
}

interface Incident {
  reference: string;
  start: number;
  restoredAt: number | null;
  severity: number;
}

export function incidentsOf(
  tickets: TicketFacts[],
  outages: OutageFacts[],
  end: number,
): Incident[] {
  const list: Incident[] = [];
  for (const t of tickets) {
    if (t.severity !== 1) continue;
    const start = t.incidentStart ?? t.receivedAt;
    if (start >= end) continue;
    list.push({ reference: t.reference, start, restoredAt: t.restoredAt ?? null, severity: 1 });
  }
  for (const o of outages)
    if (o.start < end)
      list.push({ reference: o.reference, start: o.start, restoredAt: o.restoredAt, severity: 1 });
  return list.sort((a, b) => a.start - b.start || a.reference.localeCompare(b.reference));
}

export interface AvailabilityResult {
  months: MonthAvailability[];
  incidents: IncidentRow[];
  maintenance: MaintenanceRow[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Over the period's months, with events known up to `end` = min(period end, cut-off). */
export function availabilityFigures(input: {
  months: MonthPeriod[];
  end: number;
  terms: ContractTerms;
  calendar: CalendarDocument;
  tickets: TicketFacts[];
  outages: OutageFacts[];
  maintenance: MaintenanceFacts[];
}): AvailabilityResult {
  const { months, end, terms } = input;
  const from = months[0].from;
  const incidents = incidentsOf(input.tickets, input.outages, end);
  const windows = [...input.maintenance].sort((a, b) => a.start - b.start);
  const down = union([
    ...incidents.map((i): Interval => [i.start, i.restoredAt ?? end]),
    ...windows.map((w): Interval => [w.actualStart, w.actualEnd]),
  ]);
  const notice = new Map(windows.map((w) => [w, noticeMet(w, terms, input.calendar)]));
  const excludedOf = new Map<MaintenanceFacts, Interval[]>(windows.map((w) => [w, []]));
  const overCapOf = new Map<MaintenanceFacts, number>(windows.map((w) => [w, 0]));
  const operatingAll: Interval[] = [];
  let excludedAll: Interval[] = [];
  const rows: MonthAvailability[] = [];
  for (const m of months) {
    const operating: Interval[] = terms.operatingTime
      ? businessIntervals(terms.operatingTime, m.from, m.to)
      : [[m.from, m.to]];
    operatingAll.push(...operating);
    const downHere = intersect(clip(down, m.from, Math.min(m.to, end)), operating);
    let excluded: Interval[] = [];
    let capLeft =
      terms.maintenanceMonthlyCapMinutes === null
        ? Infinity
        : terms.maintenanceMonthlyCapMinutes * 60_000;
    for (const w of windows) {
      if (!notice.get(w)) continue;
      const candidate = subtract(clip(downHere, w.start, w.end), excluded);
      if (!candidate.length) continue;
      const [head, tail] = splitAtMeasure(candidate, capLeft);
      capLeft -= measure(head);
      overCapOf.set(w, overCapOf.get(w)! + measure(tail));
      excludedOf.get(w)!.push(...head);
      excluded = union([...excluded, ...head]);
    }
    excludedAll = union([...excludedAll, ...excluded]);
    const M = measure(operating);
    const U = measure(subtract(downHere, excluded));
    rows.push({
      month: m.month,
      minutes: minutes(M),
      downtimeMinutes: minutes(U),
      maintenanceMinutes: minutes(measure(excluded)),
      availability: M === 0 ? 1 : 1 - U / M,
      goal: terms.availabilityGoal,
      budgetLeftMinutes: minutes((1 - terms.availabilityGoal) * M - U),
    });
  }
  const counted = (iv: Interval): number =>
    minutes(measure(subtract(intersect(clip([iv], from, end), operatingAll), excludedAll)));
  return {
    months: rows,
    incidents: incidents
      .filter((i) => (i.restoredAt ?? end) > from)
      .map((i) => ({
        reference: i.reference,
        start: iso(i.start),
        restoredAt: i.restoredAt === null ? null : iso(i.restoredAt),
        downtimeMinutes: counted([i.start, i.restoredAt ?? end]),
        severity: i.severity,
      })),
    maintenance: windows
      .filter((w) => Math.max(w.end, w.actualEnd) > from && Math.min(w.start, w.actualStart) < end)
      .map((w) => ({
        reference: w.reference,
        start: iso(w.start),
        end: iso(w.end),
        announcedAt: iso(w.announcedAt),
        actualStart: iso(w.actualStart),
        actualEnd: iso(w.actualEnd),
        noticeMet: notice.get(w)!,
        excludedMinutes: minutes(measure(excludedOf.get(w)!)),
        downtimeMinutes: counted([w.actualStart, w.actualEnd]),
        overCapMinutes: minutes(overCapOf.get(w)!),
      })),
  };
}
