// Service goals of the Danish terms (002_… §5), each with its figure, its count and pass/fail:
// - firstContactResolution: of the tickets resolved in the period, the share resolved with one
//   public staff reply and never escalated beyond level 1 (goal 80%).
// - qualifiedAnswerMinutes: for tickets escalated to level 2 or 3 in the period, the longest wait in
//   business minutes from the escalation to the next public staff reply (or to the period's end
//   when none came yet) (goal at most 240).
// - remediedByNextDay:<month>: of the tickets received in a calendar month, the share resolved
//   before the end of the day after receipt, in the contract's zone (goal 95%).
import { between, type CalendarDocument } from '@app/business-hours';
import type { ServiceGoalFigure } from '../report.types';
import { highestLevel, resolutionsOf, type ResolvedRow } from './activity';
import type { TicketFacts } from './facts';
import { localDate, localMidnight, type MonthPeriod } from './period';
import { ratio, wholeMinutes } from './stats';
import type { ContractTerms } from './terms';

export function serviceGoalFigures(input: {
  terms: ContractTerms;
  tickets: TicketFacts[];
  resolved: ResolvedRow[];
  months: MonthPeriod[];
  end: number;
  zone: string;
  calendarOf: (t: TicketFacts) => CalendarDocument;
}): ServiceGoalFigure[] {
  const out: ServiceGoalFigure[] = [];
  const from = input.months[0].from;
  for (const { key, goal } of input.terms.serviceGoals) {
    if (key === 'firstContactResolution') {
      const first = input.resolved.filter(
        (r) =>
          r.ticket.staffReplies.filter((at) => at <= r.resolvedAt).length === 1 &&
          highestLevel(r.ticket, r.resolvedAt) === 1,
      ).length;
      const value = ratio(first, input.resolved.length);
      out.push({
        key,
        description: `${Math.round(goal * 100)}% of questions answered at the first contact with a staff member`,
        goal,
        value,
        count: input.resolved.length,
        passed: value === null ? null : value >= goal,
      });
    } else if (key === 'qualifiedAnswerMinutes') {
      const waits: number[] = [];
      for (const t of input.tickets) {
        const up = t.levelChanges.find((c) => c.to >= 2 && c.from < 2);
        if (!up || up.at < from || up.at >= input.end) continue;
        const answer = t.staffReplies.find((at) => at > up.at && at <= input.end) ?? input.end;
        waits.push(wholeMinutes(between(input.calendarOf(t), up.at, answer)));
      }
      const value = waits.length ? Math.max(...waits) : null;
      out.push({
        key,
        description: `at most ${goal} minutes' wait for a qualified answer where it needs more work`,
        goal,
        value,
        count: waits.length,
        passed: value === null ? null : value <= goal,
      });
    } else {
      for (const m of input.months) {
        if (m.from >= input.end) continue;
        const received = input.tickets.filter(
          (t) => t.receivedAt >= m.from && t.receivedAt < Math.min(m.to, input.end),
        );
        const remedied = received.filter((t) => {
          const d = localDate(input.zone, t.receivedAt);
          const deadline = localMidnight(input.zone, d.year, d.month, d.day + 2);
          return resolutionsOf(t).some((at) => at < deadline);
        }).length;
        const value = ratio(remedied, received.length);
        out.push({
          key: `${key}:${m.month}`,
          description: `${Math.round(goal * 100)}% of ${m.month}'s reported problems remedied by the day after receipt`,
          goal,
          value,
          count: received.length,
          passed: value === null ? null : value >= goal,
        });
      }
    }
  }
  return out;
}
