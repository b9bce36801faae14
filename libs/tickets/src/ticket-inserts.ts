import type { PlannedTarget, TicketKind } from '@app/sla';
import { Batch } from '@app/config';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TargetRow, TicketRow, TicketsRepository } from './tickets.repository';
import type { Channel } from './ticket.types';

/** A new ticket, ready to be written: its requester and policy resolved, its targets planned. */
export interface TicketInsert {
  subject: string;
  description: string;
  severity: number;
  sensitive: boolean;
  channel: Channel;
  receivedAt: number;
  requesterId: string;
  organizationId: string;
  policyId: string;
  actorId: string;
  targets: PlannedTarget[];
  /** Default standard. */
  kind?: TicketKind;
  /** What the ticket is made from (`mail:<id>`): making it again returns the first ticket. */
  sourceKey?: string;
}

export type InsertedTicket = Omit<TicketRow, 'requester_email' | 'organization_name'> & {
  targets: TargetRow[];
};

/**
 * Writes new tickets, each with its history entry and its target rows. Tickets raised at the same
 * time are written by one statement (a group commit, see Batch): under load one round trip and one
 * commit carry many tickets, and one ticket that cannot be written fails alone.
 */
@Injectable()
export class TicketInserts {
  // Up to 4 statements at once: while one waits for its commit to reach the disk, the next is built.
  private readonly batch = new Batch<TicketInsert, InsertedTicket>(
    (tickets) => this.write(tickets),
    { concurrency: 4 },
  );

  constructor(private readonly repo: TicketsRepository) {}

  insert(ticket: TicketInsert): Promise<InsertedTicket> {
    return this.batch.run(ticket);
  }

  /** One statement (atomic on its own) for all of `tickets`; rows come back in the order given. */
  private async write(tickets: TicketInsert[]): Promise<InsertedTicket[]> {
    const ids = tickets.map(() => randomUUID());
    const targets = tickets.flatMap((t, i) => t.targets.map((p) => ({ ...p, ticketId: ids[i] })));
    const rows = (await this.repo.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::boolean[], $7::uuid[], $8::uuid[], $9::uuid[], $10::timestamptz[], $11::uuid[], $12::jsonb[], $20::text[], $21::text[])
           WITH ORDINALITY AS x(id, subject, description, severity, channel, sensitive, requester_id, organization_id, policy_id, received_at, actor_id, created, source_key, kind, n)
       ), t AS (
         INSERT INTO tickets (id, subject, description, severity, status, channel, sensitive, requester_id, organization_id, policy_id, received_at, source_key, kind)
         SELECT id, subject, description, severity, 'new', channel, sensitive, requester_id, organization_id, policy_id, received_at, source_key, kind FROM input ORDER BY n
         ON CONFLICT (source_key) DO NOTHING
         RETURNING *
       ), h AS (
         INSERT INTO ticket_history (ticket_id, actor_id, field, old_value, new_value)
         SELECT input.id, input.actor_id, 'created', NULL, input.created FROM input JOIN t ON t.id = input.id
       ), g AS (
         INSERT INTO ticket_targets (ticket_id, metric, round, clock, target_seconds, started_at, due_at, warning_at, warning_seconds, pausable, state, version)
         SELECT x.ticket_id, x.metric, 1, x.clock, x.secs, x.started, x.due, x.warn, x.warn_secs, x.pausable, 'running', 1
           FROM unnest($13::uuid[], $14::text[], $15::text[], $16::int[], $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $22::float8[], $23::boolean[])
             AS x(ticket_id, metric, clock, secs, started, due, warn, warn_secs, pausable)
           JOIN t ON t.id = x.ticket_id
         RETURNING *
       )
       SELECT t.*, (SELECT coalesce(json_agg(g ORDER BY g.metric, g.round), '[]') FROM g WHERE g.ticket_id = t.id) AS targets FROM t`,
      [
        ids,
        tickets.map((t) => t.subject),
        tickets.map((t) => t.description),
        tickets.map((t) => t.severity),
        tickets.map((t) => t.channel),
        tickets.map((t) => t.sensitive),
        tickets.map((t) => t.requesterId),
        tickets.map((t) => t.organizationId),
        tickets.map((t) => t.policyId),
        tickets.map((t) => new Date(t.receivedAt)),
        tickets.map((t) => t.actorId),
        tickets.map((t) =>
          JSON.stringify({
            severity: t.severity,
            channel: t.channel,
            ...(t.kind && t.kind !== 'standard' ? { kind: t.kind } : {}),
            receivedAt: new Date(t.receivedAt).toISOString(),
          }),
        ),
        targets.map((p) => p.ticketId),
        targets.map((p) => p.metric),
        targets.map((p) => p.clock),
        targets.map((p) => Math.round(p.targetSeconds)),
        targets.map((p) => new Date(p.startedAt)),
        targets.map((p) => new Date(p.dueAt)),
        targets.map((p) => (p.warningAt === null ? null : new Date(p.warningAt))),
        tickets.map((t) => t.sourceKey ?? null),
        tickets.map((t) => t.kind ?? 'standard'),
        targets.map((p) => p.warningSeconds),
        targets.map((p) => p.pausable),
      ],
    )) as InsertedTicket[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const made = new Map(
      (await this.madeBefore(tickets.filter((t, i) => t.sourceKey && !byId.has(ids[i])))).map(
        (r) => [r.source_key, r],
      ),
    );
    return ids.map((id, i) => {
      const row = byId.get(id) ?? made.get(tickets[i].sourceKey ?? '');
      if (!row) throw new Error(`ticket ${id} was not written`);
      return row;
    });
  }

  /** The tickets already made from the sources of `tickets` (a job run again). */
  private async madeBefore(
    tickets: TicketInsert[],
  ): Promise<(InsertedTicket & { source_key: string })[]> {
    if (!tickets.length) return [];
    return this.repo.db.query(
      `SELECT t.*, (SELECT coalesce(json_agg(g ORDER BY g.metric, g.round), '[]') FROM ticket_targets g WHERE g.ticket_id = t.id) AS targets
         FROM tickets t WHERE t.source_key = ANY($1)`,
      [tickets.map((t) => t.sourceKey)],
    );
  }
}
