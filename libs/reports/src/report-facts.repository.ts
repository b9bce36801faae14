import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Change, Channel, MaintenanceFacts, OutageFacts, Status, TicketFacts } from './core';
import { maintenanceReference, outageReference } from './availability.service';

// Whole milliseconds, as the API writes instants (a reply stops a target at its Date, in ms).
const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;
const STAFF = `('agent','manager','admin')`;

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
 * Loads a report's events in four queries, whatever the number of tickets: the tickets with their
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
    const args = [organizationId, new Date(from), new Date(end)];
    const [rows, history, replies] = await Promise.all([
      this.db.query(
        `SELECT t.id, t.number, t.policy_id, ${ms('t.received_at')} AS received, t.channel, t.severity, t.status, t.support_level,
                ${ms('tt.due_at')} AS due, ${ms('tt.stopped_at')} AS stopped, tt.state,
                ${ms('o.started_at')} AS incident_start, ${ms('o.restored_at')} AS restored
           FROM tickets t
           LEFT JOIN ticket_targets tt ON tt.ticket_id = t.id AND tt.metric = 'first_response'
           LEFT JOIN outages o ON o.ticket_id = t.id
          WHERE ${this.scope}
          ORDER BY t.number`,
        args,
      ),
      this.db.query(
        `SELECT h.ticket_id, h.field, h.old_value AS "from", h.new_value AS "to", ${ms('h.at')} AS at
           FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id
          WHERE ${this.scope} AND h.field IN ('severity','supportLevel','status')
          ORDER BY h.ticket_id, h.at, h.id`,
        args,
      ),
      this.db.query(
        `SELECT m.ticket_id, array_agg(${ms('m.created_at')} ORDER BY m.created_at) AS times
           FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id JOIN users u ON u.id = m.author_id
          WHERE ${this.scope} AND m.visibility = 'public' AND NOT m.automatic AND u.role IN ${STAFF}
          GROUP BY m.ticket_id`,
        args,
      ),
    ]);
    const byId = new Map<string, TicketFacts>();
    const list: TicketFacts[] = rows.map((r: TicketFactsRow) => {
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
        staffReplies: [],
        firstResponse:
          r.due === null ? null : { dueAt: r.due, stoppedAt: r.stopped, state: r.state ?? '' },
        incidentStart: r.incident_start,
        restoredAt: r.restored,
      };
      byId.set(t.id, t);
      return t;
    });
    for (const h of history) {
      const t = byId.get(h.ticket_id);
      if (!t) continue;
      if (h.field === 'severity')
        (t.severityChanges as Change<number>[]).push({
          at: h.at,
          from: Number(h.from),
          to: Number(h.to),
        });
      else if (h.field === 'supportLevel')
        t.levelChanges.push({ at: h.at, from: Number(h.from), to: Number(h.to) });
      else t.statusChanges.push({ at: h.at, from: h.from as Status, to: h.to as Status });
    }
    for (const r of replies) {
      const t = byId.get(r.ticket_id);
      if (t) t.staffReplies = (r.times as (number | string)[]).map(Number);
    }
    return list;
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
