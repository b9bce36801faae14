// First-response attainment (reports.md): a target is decided at min(first public staff reply, due
// time), met when the reply came at or before the due time, and counts in the period holding that
// moment; undecided at the end of the period it is pending. Re-classified tickets count with the
// severity whose target the decision was timed against (the severity in force when the clock stopped).
import { between, type CalendarDocument } from '@app/business-hours';
import type { FirstResponseFigures, SeverityKey } from '../report.types';
import { valueAt, type TicketFacts } from './facts';
import { nearestRank, ratio, wholeMinutes } from './stats';

export type FirstResponseOutcome =
  | { kind: 'decided'; at: number; met: boolean; severity: number; reply: number | null }
  /** Stopped without a reply before the due time (the ticket was resolved or closed). */
  | { kind: 'abandoned'; at: number }
  | { kind: 'undecided' };

/** How the ticket's first-response target stood at `asOf`. */
export function firstResponseOutcome(t: TicketFacts, asOf: number): FirstResponseOutcome {
  const target = t.firstResponse;
  if (!target) return { kind: 'undecided' };
  const first = t.staffReplies.find((r) => r <= asOf) ?? null;
  // A reply after the clock was stopped by closing the ticket does not answer the target (the
  // reply that stopped it is at its stop, to the millisecond).
  const reply =
    first !== null && (target.stoppedAt === null || first <= target.stoppedAt + 1) ? first : null;
  const severityAt = reply ?? (target.stoppedAt !== null ? target.stoppedAt : asOf);
  const severity = valueAt(t.severityChanges, t.severity, severityAt);
  if (reply !== null) {
    const at = Math.min(reply, target.dueAt);
    return { kind: 'decided', at, met: reply <= target.dueAt, severity, reply };
  }
  if (target.stoppedAt !== null && target.stoppedAt < target.dueAt && target.stoppedAt <= asOf)
    return { kind: 'abandoned', at: target.stoppedAt };
  if (target.dueAt <= asOf)
    return { kind: 'decided', at: target.dueAt, met: false, severity, reply: null };
  return { kind: 'undecided' };
}

/** When the target's clock was stopped without a reply (the ticket closed), if before `end`. */
const stoppedBy = (t: TicketFacts, end: number): number | null => {
  const s = t.firstResponse?.stoppedAt ?? null;
  return s !== null && s < end ? s : null;
};

export interface FirstResponseRow {
  ticket: TicketFacts;
  outcome: Extract<FirstResponseOutcome, { kind: 'decided' }>;
  dueAt: number;
  /** Business minutes from receipt to the reply (null: no reply by the end of the period). */
  responseMinutes: number | null;
  /** Business minutes past the due time to the reply (or to the period's end); 0 when met. */
  overrunMinutes: number;
}

const empty = (): FirstResponseFigures => ({
  met: 0,
  breached: 0,
  pending: 0,
  attainment: null,
  medianBusinessMinutes: null,
  p90BusinessMinutes: null,
  totalOverrunBusinessMinutes: 0,
  maxOverrunBusinessMinutes: 0,
});

function summarise(rows: FirstResponseRow[], pending: number): FirstResponseFigures {
  const f = empty();
  const times: number[] = [];
  for (const r of rows) {
    if (r.outcome.met) f.met++;
    else {
      f.breached++;
      f.totalOverrunBusinessMinutes += r.overrunMinutes;
      f.maxOverrunBusinessMinutes = Math.max(f.maxOverrunBusinessMinutes, r.overrunMinutes);
    }
    if (r.responseMinutes !== null) times.push(r.responseMinutes);
  }
  f.pending = pending;
  f.attainment = ratio(f.met, f.met + f.breached);
  f.medianBusinessMinutes = nearestRank(times, 0.5);
  f.p90BusinessMinutes = nearestRank(times, 0.9);
  return f;
}

export interface FirstResponseResult {
  overall: FirstResponseFigures;
  bySeverity: Record<SeverityKey, FirstResponseFigures>;
  rows: FirstResponseRow[];
  reclassified: number;
}

/**
 * The figures over [from, end) where end = min(period end, cut-off). `calendarOf` gives the calendar
 * a ticket was timed with.
 */
export function firstResponseFigures(
  tickets: TicketFacts[],
  from: number,
  end: number,
  calendarOf: (t: TicketFacts) => CalendarDocument,
): FirstResponseResult {
  const rows: FirstResponseRow[] = [];
  const pending: Record<SeverityKey, number> = { '1': 0, '2': 0, '3': 0 };
  let reclassified = 0;
  for (const t of tickets) {
    if (!t.firstResponse || t.receivedAt >= end) continue;
    const outcome = firstResponseOutcome(t, end);
    if (outcome.kind === 'undecided') {
      const key = String(valueAt(t.severityChanges, t.severity, end)) as SeverityKey;
      if (key in pending) pending[key]++;
      continue;
    }
    if (outcome.kind !== 'decided' || outcome.at < from || outcome.at >= end) continue;
    const cal = calendarOf(t);
    const dueAt = t.firstResponse.dueAt;
    const responseMinutes =
      outcome.reply === null ? null : wholeMinutes(between(cal, t.receivedAt, outcome.reply));
    const overrunMinutes = outcome.met
      ? 0
      : wholeMinutes(
          between(cal, dueAt, Math.max(dueAt, outcome.reply ?? stoppedBy(t, end) ?? end)),
        );
    rows.push({ ticket: t, outcome, dueAt, responseMinutes, overrunMinutes });
    if (t.severityChanges.some((c) => c.at <= end)) reclassified++;
  }
  const bySeverity = {} as Record<SeverityKey, FirstResponseFigures>;
  for (const key of ['1', '2', '3'] as SeverityKey[])
    bySeverity[key] = summarise(
      rows.filter((r) => String(r.outcome.severity) === key),
      pending[key],
    );
  const overall = summarise(rows, pending['1'] + pending['2'] + pending['3']);
  return { overall, bySeverity, rows, reclassified };
}
