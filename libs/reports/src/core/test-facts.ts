// Builders for the table-driven specs: one ticket's facts from a few readable times.
import { DEFAULT_CALENDAR } from '@app/business-hours';
import type { Change, ReportFacts, Status, TicketFacts } from './facts';
import { STANDARD_TERMS } from './terms';

export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`bad time ${iso}`);
  return ms;
};

let n = 0;
export function ticket(p: {
  received: string;
  severity?: number;
  due?: string;
  replies?: string[];
  stopped?: string;
  severityChanges?: [string, number, number][];
  status?: [string, Status, Status][];
  levels?: [string, number, number][];
  channel?: TicketFacts['channel'];
  restored?: string;
}): TicketFacts {
  const changes = <T>(list: [string, T, T][] = []): Change<T>[] =>
    list.map(([when, from, to]) => ({ at: at(when), from, to }));
  const statusChanges = changes(p.status);
  const levelChanges = changes(p.levels);
  const replies = (p.replies ?? []).map(at);
  return {
    id: `t${++n}`,
    reference: `HD-${String(n).padStart(6, '0')}`,
    policyId: 'p',
    receivedAt: at(p.received),
    channel: p.channel ?? 'web',
    severity: p.severity ?? 3,
    status: statusChanges.length ? statusChanges[statusChanges.length - 1].to : 'open',
    supportLevel: levelChanges.length ? levelChanges[levelChanges.length - 1].to : 1,
    severityChanges: changes(p.severityChanges),
    levelChanges,
    statusChanges,
    staffReplies: replies,
    firstResponse: p.due
      ? {
          dueAt: at(p.due),
          stoppedAt: p.stopped ? at(p.stopped) : replies.length ? replies[0] : null,
          state: 'running',
        }
      : null,
    restoredAt: p.restored ? at(p.restored) : null,
  };
}

export const facts = (over: Partial<ReportFacts>): ReportFacts => ({
  organizationId: 'org',
  quarter: '2026-Q4',
  calendar: DEFAULT_CALENDAR,
  terms: STANDARD_TERMS,
  asOf: at('2027-02-01T00:00:00Z'),
  tickets: [],
  outages: [],
  maintenance: [],
  ...over,
});
