// Backlog (reports.md): open tickets at the start and at the end of the period, the end backlog's
// age in calendar days in buckets 0–2, 3–7, 8–30, >30 by severity, and the 10 oldest.
import type { ActivityFigures, AgeBucket, SeverityKey } from '../report.types';
import { DAY_MS, valueAt, type TicketFacts } from './facts';

const isOpenAt = (t: TicketFacts, at: number): boolean => {
  if (t.receivedAt >= at) return false;
  const status = valueAt(t.statusChanges, t.status, at);
  return status !== 'resolved' && status !== 'closed';
};

export const ageBucket = (days: number): AgeBucket =>
  days <= 2 ? '0-2' : days <= 7 ? '3-7' : days <= 30 ? '8-30' : '>30';

export function backlogFigures(
  tickets: TicketFacts[],
  from: number,
  end: number,
): ActivityFigures['backlog'] {
  const buckets = {} as ActivityFigures['backlog']['ageBuckets'];
  for (const b of ['0-2', '3-7', '8-30', '>30'] as AgeBucket[])
    buckets[b] = { total: 0, bySeverity: { '1': 0, '2': 0, '3': 0 } };
  let start = 0;
  const open: TicketFacts[] = [];
  for (const t of tickets) {
    if (isOpenAt(t, from)) start++;
    if (isOpenAt(t, end)) open.push(t);
  }
  for (const t of open) {
    const b = buckets[ageBucket(Math.floor((end - t.receivedAt) / DAY_MS))];
    b.total++;
    const sev = String(t.severity) as SeverityKey;
    if (sev in b.bySeverity) b.bySeverity[sev]++;
  }
  const oldest = [...open]
    .sort((a, b) => a.receivedAt - b.receivedAt || a.reference.localeCompare(b.reference))
    .slice(0, 10)
    .map((t) => ({
      reference: t.reference,
      severity: t.severity,
      receivedAt: new Date(t.receivedAt).toISOString(),
      ageDays: Math.floor((end - t.receivedAt) / DAY_MS),
    }));
  return { start, end: open.length, ageBuckets: buckets, oldest };
}
