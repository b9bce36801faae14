import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HistoryView, iso, MessageView, reference, TargetView, TicketView } from './ticket.types';

export const TICKET_SELECT = `
  SELECT t.*, u.email AS requester_email, o.name AS organization_name
    FROM tickets t JOIN users u ON u.id = t.requester_id JOIN organizations o ON o.id = t.organization_id`;

export interface TicketRow {
  id: string;
  number: string;
  subject: string;
  description: string;
  severity: number;
  status: string;
  support_level: number;
  channel: string;
  kind: string;
  sensitive: boolean;
  requester_id: string;
  requester_email: string;
  organization_id: string;
  organization_name: string;
  assignee_id: string | null;
  policy_id: string;
  received_at: Date;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface TargetRow {
  ticket_id: string;
  metric: string;
  /** 1, 2, … : each round of a target is a row (see TargetRound in @app/sla). */
  round: number;
  clock: string;
  target_seconds: number;
  started_at: Date;
  /** null while paused. */
  due_at: Date | null;
  warning_at: Date | null;
  warning_seconds: number | null;
  state: string;
  version: number;
  stopped_at: Date | null;
  paused_at: Date | null;
  left_seconds: number | null;
  paused_seconds: number;
  pausable: boolean;
}

export function toTargetView(r: TargetRow, now = Date.now()): TargetView {
  const overdue = r.state === 'running' && r.due_at !== null && new Date(r.due_at).getTime() <= now;
  return {
    metric: r.metric,
    round: r.round ?? 1,
    clock: r.clock,
    targetSeconds: r.target_seconds,
    startedAt: iso(r.started_at)!,
    dueAt: iso(r.due_at),
    warningAt: iso(r.warning_at),
    state: overdue ? 'breached' : r.state,
    stoppedAt: iso(r.stopped_at),
    pausedAt: iso(r.paused_at),
    leftSeconds: r.left_seconds ?? null,
    pausedSeconds: Math.round(r.paused_seconds ?? 0),
    version: r.version,
  };
}

export function toTicketView(r: TicketRow, targets: TargetRow[]): TicketView {
  return {
    id: r.id,
    reference: reference(r.number),
    subject: r.subject,
    description: r.description,
    status: r.status as TicketView['status'],
    severity: r.severity as TicketView['severity'],
    supportLevel: r.support_level as TicketView['supportLevel'],
    channel: r.channel as TicketView['channel'],
    kind: (r.kind ?? 'standard') as TicketView['kind'],
    sensitive: r.sensitive,
    restricted: false,
    requesterId: r.requester_id,
    requesterEmail: r.requester_email,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    assigneeId: r.assignee_id,
    receivedAt: iso(r.received_at)!,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    closedAt: iso(r.closed_at),
    targets: targets.map((t) => toTargetView(t)),
  };
}

const MESSAGE_SELECT = `
  SELECT m.*, u.name AS author_name, u.role AS author_role FROM ticket_messages m LEFT JOIN users u ON u.id = m.author_id`;

interface MessageRow {
  id: string;
  ticket_id: string;
  seq: number;
  author_id: string | null;
  author_name: string | null;
  author_role: string | null;
  body: string;
  visibility: MessageView['visibility'];
  automatic: boolean;
  channel: string;
  source_key: string | null;
  created_at: Date;
}

/** Chat messages carry the id their client gave them (`chat:<author>:<client id>`), so a client knows its own. */
const clientMessageId = (key: string | null) =>
  key?.startsWith('chat:') ? key.slice(key.lastIndexOf(':') + 1) : null;

const toMessageView = (r: MessageRow): MessageView => ({
  id: r.id,
  ticketId: r.ticket_id,
  seq: r.seq,
  authorId: r.author_id,
  authorName: r.author_name,
  authorRole: r.author_role,
  body: r.body,
  visibility: r.visibility,
  automatic: r.automatic,
  channel: r.channel,
  clientMessageId: clientMessageId(r.source_key),
  createdAt: iso(r.created_at)!,
});

/** SQL of the tickets context (tickets, messages, history, targets). */
@Injectable()
export class TicketsRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async findRow(
    id: string,
    m: EntityManager | DataSource = this.db,
    lock = false,
  ): Promise<TicketRow | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    if (lock) await m.query(`SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = await m.query(`${TICKET_SELECT} WHERE t.id = $1`, [id]);
    return row ?? null;
  }

  async findRowByNumber(n: number): Promise<TicketRow | null> {
    const [row] = await this.db.query(`${TICKET_SELECT} WHERE t.number = $1`, [n]);
    return row ?? null;
  }

  async targetsOf(ids: string[], m: EntityManager | DataSource = this.db): Promise<TargetRow[]> {
    if (!ids.length) return [];
    return m.query(
      `SELECT * FROM ticket_targets WHERE ticket_id = ANY($1::uuid[]) ORDER BY metric, round`,
      [ids],
    );
  }

  /** A ticket's messages in the order they were stored; `afterSeq`: only those after that number. */
  async messagesOf(id: string, includeInternal: boolean, afterSeq = 0): Promise<MessageView[]> {
    const rows: MessageRow[] = await this.db.query(
      `${MESSAGE_SELECT} WHERE m.ticket_id = $1 AND ($2 OR m.visibility = 'public') AND m.seq > $3 ORDER BY m.seq`,
      [id, includeInternal, afterSeq],
    );
    return rows.map(toMessageView);
  }

  /** Messages by (ticket, number), for the live feed: one query for a burst of announcements. */
  async messagesAt(keys: { ticketId: string; seq: number }[]): Promise<MessageView[]> {
    if (!keys.length) return [];
    const rows: MessageRow[] = await this.db.query(
      `${MESSAGE_SELECT} JOIN unnest($1::uuid[], $2::int[]) AS k(ticket_id, seq) ON k.ticket_id = m.ticket_id AND k.seq = m.seq`,
      [keys.map((k) => k.ticketId), keys.map((k) => k.seq)],
    );
    return rows.map(toMessageView);
  }

  async historyOf(id: string): Promise<HistoryView[]> {
    const rows = await this.db.query(
      `SELECT * FROM ticket_history WHERE ticket_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map(
      (r: {
        field: string;
        old_value: unknown;
        new_value: unknown;
        reason: string | null;
        actor_id: string | null;
        at: Date;
      }) => ({
        field: r.field,
        oldValue: r.old_value,
        newValue: r.new_value,
        reason: r.reason,
        actorId: r.actor_id,
        at: iso(r.at)!,
      }),
    );
  }

  async addHistory(
    m: EntityManager,
    ticketId: string,
    actorId: string | null,
    field: string,
    oldValue: unknown,
    newValue: unknown,
    reason?: string | null,
  ) {
    await m.query(
      `INSERT INTO ticket_history (ticket_id, actor_id, field, old_value, new_value, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        ticketId,
        actorId,
        field,
        oldValue === undefined ? null : JSON.stringify(oldValue),
        newValue === undefined ? null : JSON.stringify(newValue),
        reason ?? null,
      ],
    );
  }
}
