// Activity (reports.md): tickets created by severity, channel and highest support level reached;
// escalations; tickets resolved with their business time to resolution (time waiting on the
// customer excluded); reopened within 14 days of a resolution.
import { between, type CalendarDocument } from '@app/business-hours';
import type { ActivityFigures, SeverityKey } from '../report.types';
import { DAY_MS, type Status, type TicketFacts } from './facts';
import { nearestRank, ratio, wholeMinutes } from './stats';

const DONE: readonly Status[] = ['resolved', 'closed'];
export const REOPEN_WINDOW_MS = 14 * DAY_MS;

/** Resolution moments: a change to resolved, or to closed from a status that was not resolved. */
export function resolutionsOf(t: TicketFacts): number[] {
  return t.statusChanges
    .filter((c) => c.to === 'resolved' || (c.to === 'closed' && c.from !== 'resolved'))
    .map((c) => c.at);
}

/** Moments the ticket left resolved/closed for an open status. */
export const reopeningsOf = (t: TicketFacts): number[] =>
  t.statusChanges.filter((c) => DONE.includes(c.from) && !DONE.includes(c.to)).map((c) => c.at);

/** The highest support level the ticket reached by `at`. */
export function highestLevel(t: TicketFacts, at: number): number {
  let level = t.levelChanges.length ? t.levelChanges[0].from : t.supportLevel;
  for (const c of t.levelChanges) if (c.at <= at) level = Math.max(level, c.to);
  return level;
}

/** Intervals the ticket waited on the customer (status pending), up to `until`. */
export function pendingIntervals(t: TicketFacts, until: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let since: number | null = null;
  for (const c of t.statusChanges) {
    if (c.at > until) break;
    if (c.to === 'pending' && since === null) since = c.at;
    else if (c.to !== 'pending' && since !== null) {
      out.push([since, c.at]);
      since = null;
    }
  }
  if (since !== null) out.push([since, until]);
  return out;
}

/** Business minutes from receipt to `resolvedAt`, pending time excluded. */
export function resolutionMinutes(
  t: TicketFacts,
  resolvedAt: number,
  cal: CalendarDocument,
): number {
  let seconds = between(cal, t.receivedAt, resolvedAt);
  for (const [a, b] of pendingIntervals(t, resolvedAt)) {
    const lo = Math.max(a, t.receivedAt);
    const hi = Math.min(b, resolvedAt);
    if (lo < hi) seconds -= between(cal, lo, hi);
  }
  return wholeMinutes(Math.max(0, seconds));
}

export interface ResolvedRow {
  ticket: TicketFacts;
  resolvedAt: number;
  businessMinutes: number;
  reopened: boolean;
}

export type ActivityCounts = Omit<ActivityFigures, 'backlog' | 'reclassified'>;

const zeroSeverity = (): Record<SeverityKey, number> => ({ '1': 0, '2': 0, '3': 0 });

/**
 * Over [from, end): `end` is min(period end, cut-off). Severity is the ticket's at the cut-off;
 * reopenings count up to `asOf` when they fall within 14 days of a resolution in the period.
 */
export function activityFigures(
  tickets: TicketFacts[],
  from: number,
  end: number,
  asOf: number,
  calendarOf: (t: TicketFacts) => CalendarDocument,
): { counts: ActivityCounts; resolved: ResolvedRow[] } {
  const created: ActivityFigures['created'] = {
    total: 0,
    bySeverity: zeroSeverity(),
    byChannel: { email: 0, web: 0, phone: 0, chat: 0, api: 0 },
    bySupportLevel: { '1': 0, '2': 0, '3': 0 },
  };
  let escalated = 0;
  const resolved: ResolvedRow[] = [];
  for (const t of tickets) {
    if (t.receivedAt >= from && t.receivedAt < end) {
      created.total++;
      const sev = String(t.severity) as SeverityKey;
      if (sev in created.bySeverity) created.bySeverity[sev]++;
      if (t.channel in created.byChannel) created.byChannel[t.channel]++;
      const level = highestLevel(t, asOf);
      const key = String(level) as '1' | '2' | '3';
      if (key in created.bySupportLevel) created.bySupportLevel[key]++;
      if (level >= 2) escalated++;
    }
    const inPeriod = resolutionsOf(t).filter((at) => at >= from && at < end);
    if (!inPeriod.length) continue;
    const last = inPeriod[inPeriod.length - 1];
    const reopens = reopeningsOf(t).filter((at) => at <= asOf);
    const reopened = inPeriod.some((r) => reopens.some((o) => o > r && o - r <= REOPEN_WINDOW_MS));
    resolved.push({
      ticket: t,
      resolvedAt: last,
      businessMinutes: resolutionMinutes(t, last, calendarOf(t)),
      reopened,
    });
  }
  const reopened = resolved.filter((r) => r.reopened).length;
  const times = resolved.map((r) => r.businessMinutes);
  return {
    counts: {
      created,
      resolved: resolved.length,
      escalated,
      escalationRate: ratio(escalated, created.total),
      reopened,
      reopenRate: ratio(reopened, resolved.length),
      resolution: {
        medianBusinessMinutes: nearestRank(times, 0.5),
        p90BusinessMinutes: nearestRank(times, 0.9),
      },
    },
    resolved,
  };
}
