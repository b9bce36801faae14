import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface AuditEntry {
  id: string;
  actorId: string | null;
  action: string;
  ticketId: string | null;
  details: unknown;
  at: string;
}

/** The record of staff access to customer data (data protection: every access is logged). */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(
    actorId: string | null,
    action: string,
    ticketId: string | null,
    details?: unknown,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.db).query(
      `INSERT INTO audit_log (actor_id, action, ticket_id, details) VALUES ($1, $2, $3, $4)`,
      [actorId, action, ticketId, details === undefined ? null : JSON.stringify(details)],
    );
  }

  async list(filter: {
    ticketId?: string;
    actorId?: string;
    limit?: number;
  }): Promise<AuditEntry[]> {
    const rows = await this.db.query(
      `SELECT id, actor_id, action, ticket_id, details, at FROM audit_log
        WHERE ($1::uuid IS NULL OR ticket_id = $1) AND ($2::uuid IS NULL OR actor_id = $2)
        ORDER BY id DESC LIMIT $3`,
      [filter.ticketId ?? null, filter.actorId ?? null, Math.min(filter.limit ?? 200, 1000)],
    );
    return rows.map(
      (r: {
        id: string;
        actor_id: string | null;
        action: string;
        ticket_id: string | null;
        details: unknown;
        at: Date;
      }) => ({
        id: String(r.id),
        actorId: r.actor_id,
        action: r.action,
        ticketId: r.ticket_id,
        details: r.details,
        at: new Date(r.at).toISOString(),
      }),
    );
  }
}
