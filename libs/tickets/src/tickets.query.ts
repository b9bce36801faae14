import {
  decodeCursor,
  encodeCursor,
  isCursorCount,
  isCursorInstant,
  isCursorUuid,
} from '@app/config';
import { AuthUser, isStaff } from '@app/identity';
import { Injectable } from '@nestjs/common';
import { ListTicketsQuery } from './dto';
import { TicketAccess } from './ticket-access';
import { TicketView } from './ticket.types';
import { TICKET_SELECT, TicketRow, TicketsRepository, toTicketView } from './tickets.repository';
import { TicketsService } from './tickets.service';

/** Newest first: the number of the last ticket seen. */
const BY_NUMBER = { n: isCursorCount };
/** Nearest due first: the last ticket's open due time ('infinity': none) and id. */
const BY_DUE = { d: (v: string) => v === 'infinity' || isCursorInstant(v), id: isCursorUuid };

/**
 * The ticket lists: `unassigned` (open, nobody on it), `mine` (assigned to me; a customer's own),
 * `breaching` (tickets with a target still running or breached and unanswered, nearest due first).
 * `sort=due` orders any view like `breaching`: nearest open due time first, tickets without one last.
 */
@Injectable()
export class TicketsQuery {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly tickets: TicketsService,
  ) {}

  async list(
    viewer: AuthUser,
    q: ListTicketsQuery,
  ): Promise<{ items: TicketView[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => (args.push(v), `$${args.length}`);
    where.push(TicketAccess.tenantSql(viewer, 't', arg));
    if (q.supportLevel) where.push(`t.support_level = ${arg(q.supportLevel)}`);
    if (q.severity) where.push(`t.severity = ${arg(q.severity)}`);
    if (q.status) where.push(`t.status = ${arg(q.status)}`);
    if (q.organizationId) where.push(`t.organization_id = ${arg(q.organizationId)}`);
    if (q.kind) where.push(`t.kind = ${arg(q.kind)}`);
    if (q.view === 'unassigned')
      where.push(`t.assignee_id IS NULL AND t.status NOT IN ('resolved','closed')`);
    if (q.view === 'mine')
      where.push(
        isStaff(viewer)
          ? `t.assignee_id = ${arg(viewer.id)}`
          : `t.requester_id = ${arg(viewer.id)}`,
      );
    let sql: string;
    const byDue = q.view === 'breaching' || q.sort === 'due';
    if (byDue) {
      // Nearest open due time first; tickets without an open target last (as if due at +infinity).
      const cursor = q.cursor ? decodeCursor(q.cursor, BY_DUE) : null;
      const after = cursor
        ? `AND (d.key, t.id) > (${arg(cursor.d)}::timestamptz, ${arg(cursor.id)}::uuid)`
        : '';
      const only =
        q.view === 'breaching'
          ? `AND d.due IS NOT NULL AND t.status NOT IN ('resolved','closed')`
          : '';
      sql = `SELECT t.*, d.due FROM (${TICKET_SELECT}) t
               CROSS JOIN LATERAL (SELECT min(due_at) AS due, coalesce(min(due_at), 'infinity'::timestamptz) AS key
                                     FROM ticket_targets g WHERE g.ticket_id = t.id AND g.stopped_at IS NULL) d
              WHERE true ${only} ${where.length ? 'AND ' + where.join(' AND ') : ''} ${after}
              ORDER BY d.key, t.id LIMIT ${arg(limit + 1)}`;
    } else {
      const cursor = q.cursor ? decodeCursor(q.cursor, BY_NUMBER) : null;
      if (cursor) where.push(`t.number < ${arg(cursor.n)}::bigint`);
      sql = `SELECT * FROM (${TICKET_SELECT}) t ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY t.number DESC LIMIT ${arg(limit + 1)}`;
    }
    const rows: (TicketRow & { due?: Date | null })[] = await this.repo.db.query(sql, args);
    const page = rows.slice(0, limit);
    const targets = await this.repo.targetsOf(page.map((r) => r.id));
    const items = page.map((r) => {
      const view = toTicketView(
        r,
        targets.filter((t) => t.ticket_id === r.id),
      );
      return TicketAccess.maySeeContent(viewer, r) ? view : this.tickets.restrict(view);
    });
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit
        ? encodeCursor(
            byDue
              ? { d: last.due ? new Date(last.due).toISOString() : 'infinity', id: last.id }
              : { n: String(last.number) },
          )
        : null;
    return { items, nextCursor };
  }
}
