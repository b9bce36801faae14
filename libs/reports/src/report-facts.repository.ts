import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Channel, MaintenanceFacts, OutageFacts, Status, TicketFacts } from './core';
import { maintenanceReference, outageReference } from './availability.service';

// Whole milliseconds, as the API writes instants (a reply stops a target at its Date, in ms).
// date_part gives float8 seconds (cheaper than extract's numeric); + 1 µs absorbs its rounding.
const ms = (column: string) => `floor(date_part('epoch', ${column}) * 1000 + 0.001)`;
const STAFF = `('agent','manager','admin')`;

/** History entries "field|from|to|at|id" in time order (then by id: the order they were written). */
function inTimeOrder(entries: string[]): string[][] {
  const parts = entries.map((e) => e.split('|'));
  if (parts.length > 1)
    parts.sort((a, b) => Number(a[3]) - Number(b[3]) || Number(a[4]) - Number(b[4]));
  return parts;
}

interface TicketFactsRow {
  id: string;
  number: string;
  policy_id: string;
  received: number;
  channel: string;
  severity: number;
  status: string;
  support_level: number;
  due: number | null;
  stopped: number | null;
  state: string | null;
  incident_start: number | null;
  restored: number | null;
  history: string | null;
  replies: string | null;
}
interface MaintenanceFactsRow {
  number: string;
  start: number;
  end: number;
  announced: number;
  actual_start: number;
  actual_end: number;
}

/**
 * Loads a report's events in three queries, whatever the number of tickets: the tickets with their
 * first-response target and incident ends, their history of severity, support level and status,
 * the times of their public staff replies, and the outages and maintenance windows. Rows are
 * compact (numbers, not dates) so that 100,000 tickets stream in well under a second.
 *
 * A ticket is read when it can count in the period: received before its end, and changed since its
 * start or still open.
 */
@Injectable()
export class ReportFactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private readonly scope = `t.organization_id = $1 AND t.received_at < $3 AND (t.updated_at >= $2 OR t.status NOT IN ('resolved','closed'))`;

  async tickets(organizationId: string, from: number, end: number): Promise<TicketFacts[]> {
    // One round trip: the tickets in scope (inlined, so the planner may scan in parallel), their history and replies folded
    // into one text per ticket ("field|from|to|at;…", "at;at;…"), which JavaScript splits and
    // puts in time order (sorting here is cheaper than in each aggregate).
    const rows: TicketFactsRow[] = await this.db.query(
      `WITH s AS NOT MATERIALIZED (
         SELECT t.id, t.number, t.policy_id, t.received_at, t.channel, t.severity, t.status, t.support_level
           FROM tickets t WHERE ${this.scope}),
       h AS (
         SELECT h.ticket_id, string_agg(h.field || '|' || (h.old_value #>> '{}') || '|' || (h.new_value #>> '{}') || '|' || ${ms('h.at')} || '|' || h.id, ';') AS history
           FROM ticket_history h JOIN s ON s.id = h.ticket_id
          WHERE h.field IN ('severity','supportLevel','status') GROUP BY h.ticket_id),
       r AS (
         SELECT m.ticket_id, string_agg(${ms('m.created_at')}::text, ';') AS replies
           FROM ticket_messages m JOIN s ON s.id = m.ticket_id JOIN users u ON u.id = m.author_id
          WHERE m.visibility = 'public' AND NOT m.automatic AND u.role IN ${STAFF} GROUP BY m.ticket_id)
       SELECT s.id, s.number, s.policy_id, ${ms('s.received_at')} AS received, s.channel, s.severity, s.status, s.support_level,
              ${ms('tt.due_at')} AS due, ${ms('tt.stopped_at')} AS stopped, tt.state,
              ${ms('o.started_at')} AS incident_start, ${ms('o.restored_at')} AS restored, h.history, r.replies
         FROM s
         LEFT JOIN ticket_targets tt ON tt.ticket_id = s.id AND tt.metric = 'first_response'
         LEFT JOIN outages o ON o.ticket_id = s.id
         LEFT JOIN h ON h.ticket_id = s.id
         LEFT JOIN r ON r.ticket_id = s.id`,
      [organizationId, new Date(from), new Date(end)],
    );
    return rows
      .map((r) => {
        const t: TicketFacts = {
          id: r.id,
          reference: `HD-${String(r.number).padStart(6, '0')}`,
          policyId: r.policy_id,
          receivedAt: r.received,
          channel: r.channel as Channel,
          severity: r.severity,
          status: r.status as Status,
          supportLevel: r.support_level,
          severityChanges: [],
          levelChanges: [],
          statusChanges: [],
          staffReplies: r.replies
            ? r.replies
                .split(';')
                .map(Number)
                .sort((a, b) => a - b)
            : [],
          firstResponse:
            r.due === null ? null : { dueAt: r.due, stoppedAt: r.stopped, state: r.state ?? '' },
          incidentStart: r.incident_start,
          restoredAt: r.restored,
        };
        if (r.history)
          for (const [field, before, after, at] of inTimeOrder(r.history.split(';'))) {
            if (field === 'severity')
              t.severityChanges.push({ at: Number(at), from: Number(before), to: Number(after) });
            else if (field === 'supportLevel')
              t.levelChanges.push({ at: Number(at), from: Number(before), to: Number(after) });
            else
              t.statusChanges.push({ at: Number(at), from: before as Status, to: after as Status });
          }
        return t;
      })
      .sort((a, b) => Number(a.reference.slice(3)) - Number(b.reference.slice(3)));
  }

  async outages(organizationId: string, end: number): Promise<OutageFacts[]> {
    const rows = await this.db.query(
      `SELECT number, ${ms('started_at')} AS start, ${ms('restored_at')} AS restored FROM outages
        WHERE ticket_id IS NULL AND (organization_id = $1 OR organization_id IS NULL) AND started_at < $2`,
      [organizationId, new Date(end)],
    );
    return rows.map((r: { number: string; start: number; restored: number | null }) => ({
      reference: outageReference(r.number),
      start: r.start,
      restoredAt: r.restored,
    }));
  }

  async maintenance(
    organizationId: string,
    from: number,
    end: number,
  ): Promise<MaintenanceFacts[]> {
    const rows = await this.db.query(
      `SELECT number, ${ms('starts_at')} AS start, ${ms('ends_at')} AS "end", ${ms('announced_at')} AS announced,
              ${ms('coalesce(actual_start_at, starts_at)')} AS actual_start, ${ms('coalesce(actual_end_at, ends_at)')} AS actual_end
         FROM maintenance_windows
        WHERE (organization_id = $1 OR organization_id IS NULL)
          AND least(starts_at, coalesce(actual_start_at, starts_at)) < $3 AND greatest(ends_at, coalesce(actual_end_at, ends_at)) > $2`,
      [organizationId, new Date(from), new Date(end)],
    );
    return rows.map((r: MaintenanceFactsRow) => ({
      reference: maintenanceReference(r.number),
      start: r.start,
      end: r.end,
      announcedAt: r.announced,
      actualStart: r.actual_start,
      actualEnd: r.actual_end,
    }));
  }
}
