import { iso, reference, toTargetView, type TargetRow } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ChatMode, ChatState, ChatView, InboxView } from './chat.types';

interface ChatRow {
  ticket_id: string;
  number: string;
  subject: string;
  severity: number;
  sensitive: boolean;
  status: string;
  support_level: number;
  organization_id: string;
  organization_name: string;
  requester_id: string;
  requester_name: string;
  mode: ChatMode;
  state: ChatState;
  agent_id: string | null;
  agent_name: string | null;
  started_at: Date;
  taken_at: Date | null;
  ended_at: Date | null;
  opens_at: Date | null;
  targets: TargetRow[];
  last_body: string | null;
  last_role: string | null;
  last_at: Date | null;
}

/** A chat with what the inbox shows of its ticket (read only: the ticket's rows are changed by TicketsService). */
const CHAT_SELECT = `
  SELECT c.*, t.number, t.subject, t.severity, t.sensitive, t.status, t.support_level, t.requester_id, t.organization_id,
         o.name AS organization_name, r.name AS requester_name, a.name AS agent_name,
         (SELECT coalesce(json_agg(g ORDER BY g.metric, g.round), '[]') FROM ticket_targets g WHERE g.ticket_id = t.id) AS targets,
         lm.body AS last_body, lm.role AS last_role, lm.created_at AS last_at
    FROM chats c JOIN tickets t ON t.id = c.ticket_id JOIN organizations o ON o.id = t.organization_id
    JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = c.agent_id
    LEFT JOIN LATERAL (
      SELECT m.body, u.role, m.created_at FROM ticket_messages m LEFT JOIN users u ON u.id = m.author_id
       WHERE m.ticket_id = c.ticket_id AND m.visibility = 'public' ORDER BY m.seq DESC LIMIT 1
    ) lm ON true`;

const toChatView = (r: ChatRow): ChatView => ({
  ticketId: r.ticket_id,
  reference: reference(r.number),
  subject: r.subject,
  severity: r.severity,
  sensitive: r.sensitive,
  status: r.status,
  supportLevel: r.support_level,
  organizationId: r.organization_id,
  organizationName: r.organization_name,
  requesterId: r.requester_id,
  requesterName: r.requester_name,
  mode: r.mode,
  state: r.state,
  agentId: r.agent_id,
  agentName: r.agent_name,
  startedAt: iso(r.started_at)!,
  takenAt: iso(r.taken_at),
  endedAt: iso(r.ended_at),
  opensAt: iso(r.opens_at),
  targets: r.targets.map((t) => toTargetView(t)),
  lastMessage:
    r.last_at === null
      ? null
      : { body: r.last_body!.slice(0, 200), authorRole: r.last_role, at: iso(r.last_at)! },
});

/** SQL of the chat context (the `chats` rows). */
@Injectable()
export class ChatsRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** The chat of a ticket opened from a retried first message is made once. */
  async insert(ticketId: string, mode: ChatMode, startedAt: Date, opensAt: Date | null) {
    await this.db.query(
      `INSERT INTO chats (ticket_id, mode, state, started_at, opens_at) VALUES ($1, $2, 'waiting', $3, $4) ON CONFLICT DO NOTHING`,
      [ticketId, mode, startedAt, opensAt],
    );
  }

  async find(ticketId: string): Promise<ChatView | null> {
    const [row] = await this.findMany([ticketId]);
    return row ?? null;
  }

  /** Only the state (the hot path of a message). */
  async stateOf(ticketId: string): Promise<ChatState | null> {
    const [row] = await this.db.query(`SELECT state FROM chats WHERE ticket_id = $1`, [ticketId]);
    return row?.state ?? null;
  }

  async findMany(ticketIds: string[]): Promise<ChatView[]> {
    if (!ticketIds.length) return [];
    const rows: ChatRow[] = await this.db.query(
      `${CHAT_SELECT} WHERE c.ticket_id = ANY($1::uuid[])`,
      [ticketIds],
    );
    return rows.map(toChatView);
  }

  /** Staff inbox: chats waiting for an agent (oldest first), or those `agentId` has. */
  async inbox(view: InboxView, agentId: string, cleared: boolean): Promise<ChatView[]> {
    const rows: ChatRow[] = await this.db.query(
      `${CHAT_SELECT}
        WHERE CASE $3 WHEN 'waiting' THEN c.state = 'waiting' ELSE c.state = 'active' AND c.agent_id = $1::uuid END
          AND ($2 OR NOT t.sensitive)
        ORDER BY c.started_at LIMIT 200`,
      [agentId, cleared, view],
    );
    return rows.map(toChatView);
  }

  /** A customer's own chats that have not ended (newest first). */
  async openOf(requesterId: string): Promise<ChatView[]> {
    const rows: ChatRow[] = await this.db.query(
      `${CHAT_SELECT} WHERE t.requester_id = $1 AND c.state <> 'ended' ORDER BY c.started_at DESC LIMIT 20`,
      [requesterId],
    );
    return rows.map(toChatView);
  }

  /** Gives a waiting chat to an agent; false when it was not waiting (taken by someone else, or ended). */
  async take(ticketId: string, agentId: string): Promise<boolean> {
    const [, n] = await this.db.query(
      `UPDATE chats SET state = 'active', agent_id = $2, taken_at = now() WHERE ticket_id = $1 AND state = 'waiting'`,
      [ticketId, agentId],
    );
    return n === 1;
  }

  /** To another agent, or (null) back to the waiting chats; false when the chat has ended. */
  async handOver(ticketId: string, agentId: string | null): Promise<boolean> {
    const [, n] = await this.db.query(
      `UPDATE chats SET state = CASE WHEN $2::uuid IS NULL THEN 'waiting' ELSE 'active' END, agent_id = $2,
              taken_at = CASE WHEN $2::uuid IS NULL THEN NULL ELSE now() END
        WHERE ticket_id = $1 AND state <> 'ended'`,
      [ticketId, agentId],
    );
    return n === 1;
  }

  async end(ticketId: string): Promise<void> {
    await this.db.query(
      `UPDATE chats SET state = 'ended', ended_at = now() WHERE ticket_id = $1 AND state <> 'ended'`,
      [ticketId],
    );
  }
}
