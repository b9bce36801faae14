// The whole report from its facts: pure, so every figure can be recomputed from stored events.
import type { CalendarDocument } from '@app/business-hours';
import type { MonthFirstResponse, QuarterlyReport, SeverityKey } from '../report.types';
import { activityFigures } from './activity';
import { availabilityFigures } from './availability';
import { backlogFigures } from './backlog';
import type { ReportFacts, TicketFacts } from './facts';
import { firstResponseFigures, type FirstResponseRow } from './first-response';
import { quarterPeriod } from './period';
import { serviceGoalFigures } from './service-goals';
import type { ResolvedRow } from './activity';

export interface ComputedReport {
  report: QuarterlyReport;
  /** Per-ticket rows behind the figures (for the CSV files). */
  targets: FirstResponseRow[];
  resolved: ResolvedRow[];
}

export function computeReport(facts: ReportFacts): ComputedReport {
  const zone = facts.calendar.timeZone;
  const period = quarterPeriod(facts.quarter, zone);
  const end = Math.max(period.from, Math.min(period.to, facts.asOf));
  const calendarOf = (t: TicketFacts): CalendarDocument =>
    facts.calendars?.[t.policyId] ?? facts.calendar;
  const fr = firstResponseFigures(facts.tickets, period.from, end, calendarOf);
  const act = activityFigures(facts.tickets, period.from, end, facts.asOf, calendarOf);
  const availability = availabilityFigures({
    months: period.months,
    end,
    terms: facts.terms,
    calendar: facts.calendar,
    tickets: facts.tickets,
    outages: facts.outages,
    maintenance: facts.maintenance,
  });
  const report: QuarterlyReport = {
    organizationId: facts.organizationId,
    quarter: facts.quarter,
    timeZone: zone,
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    revision: 0,
    issuedAt: null,
    firstResponse: {
      overall: fr.overall,
      bySeverity: fr.bySeverity,
      byMonth: firstResponseByMonth(fr.rows, period.months),
    },
    activity: {
      ...act.counts,
      reclassified: fr.reclassified,
      backlog: backlogFigures(facts.tickets, period.from, end),
    },
    availability: availability.months,
    incidents: availability.incidents,
    maintenance: availability.maintenance,
    serviceGoals: serviceGoalFigures({
      terms: facts.terms,
      tickets: facts.tickets,
      resolved: act.resolved,
      months: period.months,
      end,
      zone,
      calendarOf,
    }),
  };
  return { report, targets: fr.rows, resolved: act.resolved };
}

/** Met and breached per severity in each month, by the month holding each target's decision. */
export function firstResponseByMonth(
  rows: FirstResponseRow[],
  months: { month: string; from: number; to: number }[],
): MonthFirstResponse[] {
  return months.map((m) => {
    const bySeverity = {
      '1': { met: 0, breached: 0 },
      '2': { met: 0, breached: 0 },
      '3': { met: 0, breached: 0 },
    } as MonthFirstResponse['bySeverity'];
    for (const r of rows) {
      if (r.outcome.at < m.from || r.outcome.at >= m.to) continue;
      const cell = bySeverity[String(r.outcome.severity) as SeverityKey];
      if (!cell) continue;
      if (r.outcome.met) cell.met++;
      else cell.breached++;
    }
    return { month: m.month, bySeverity };
  });
}
