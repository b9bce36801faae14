import { AppConfig } from '@app/config';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ChainLink, ChainVerdict, GENESIS_HASH, verifyLinks } from './audit-chain';
import { currentAuditContext } from './audit-context';
import { AuditWriter } from './audit-writer';

export const STAFF_ROLES = ['agent', 'manager', 'admin'];

export interface AuditActor {
  id: string;
  role: string;
}

/** One thing to record. Actor and client address default to the request being served. */
export interface AuditEvent {
  action: string;
  actor?: AuditActor | null;
  clientAddress?: string | null;
  object?: { type: string; id: string } | null;
  organizationId?: string | null;
  ticketId?: string | null;
  /** For changes: `{ changes: { field: { before, after } } }` (secrets masked by the caller or audit-changes). */
  details?: unknown;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  clientAddress: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  organizationId: string | null;
  ticketId: string | null;
  details: unknown;
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  organizationId?: string;
  ticketId?: string;
  from?: string;
  to?: string;
  /** Only reads (`*.read`, `*.download`, `*.export`) by staff. */
  staffReads?: boolean;
  /** Entries with a smaller id (paging backwards from the newest). */
  before?: string;
  limit?: number;
}

export interface TicketViewer {
  userId: string;
  name: string | null;
  role: string;
  firstSeenAt: string;
  lastSeenAt: string;
  times: number;
}

interface EntryRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  client_address: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  organization_id: string | null;
  ticket_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: EntryRow): AuditEntry => ({
  id: String(r.id),
  at: new Date(r.at).toISOString(),
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorRole: r.actor_role,
  clientAddress: r.client_address,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  organizationId: r.organization_id,
  ticketId: r.ticket_id,
  details: r.details,
});

const READ_ACTION = `a.action ~ '\\.(read|download|export)$'`;

/**
 * The append-only, hash-chained record of what staff and users did: sign-ins, changes, and every
 * read of customer data by staff (one entry per person and object per 5 minutes).
 *
 * Other libs call `log` (written before it resolves: changes, security events such as 2FA and
 * sessions) and `read` (queued, never slows the page: a staff member opened, downloaded or exported
 * customer data).
 */
@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly writer: AuditWriter;
  /** Reads this process has queued lately: `actor|type|id` → when. */
  private readonly recentReads = new Map<string, number>();

  private readonly dedupMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.dedupMs = config.AUDIT_READ_DEDUP_SECONDS * 1000;
    this.writer = new AuditWriter(db, this.dedupMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.writer.close();
  }

  /** Records an event; resolves when it is in the chain. */
  async log(event: AuditEvent): Promise<void> {
    await this.writer.write({ ...this.fields(event), dedupKey: null });
  }

  /**
   * A read of customer data: queued and written within a moment, once per person and object per
   * 5 minutes. Reads by customers of their own data are not recorded (the licence asks for staff).
   */
  read(event: AuditEvent & { object: { type: string; id: string } }): void {
    const fields = this.fields(event);
    if (!fields.actorId || !STAFF_ROLES.includes(fields.actorRole ?? '')) return;
    const key = `${fields.actorId}|${event.object.type}|${event.object.id}`;
    const now = Date.now();
    const last = this.recentReads.get(key);
    if (last !== undefined && now - last < this.dedupMs) return;
    this.recentReads.set(key, now);
    if (this.recentReads.size > 50_000)
      for (const [k, at] of this.recentReads)
        if (now - at >= this.dedupMs) this.recentReads.delete(k);
    this.writer.queue({ ...fields, dedupKey: key });
  }

  /** Work recorded after a response (the audit guard's): flushes wait for it. */
  private readonly tracked = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    this.tracked.add(work);
    void work.finally(() => this.tracked.delete(work));
  }

  /** Writes every queued read now (before answering "who has seen this"). */
  async flush(): Promise<void> {
    while (this.tracked.size) await Promise.allSettled([...this.tracked]);
    return this.writer.flush();
  }

  /** The first API: an actor id, an action, a ticket. Kept for callers that use it. */
  async record(
    actorId: string | null,
    action: string,
    ticketId: string | null,
    details?: unknown,
    _manager?: EntityManager,
  ): Promise<void> {
    const ctx = currentAuditContext();
    const actor = actorId
      ? { id: actorId, role: ctx.actor?.id === actorId ? ctx.actor.role : '' }
      : null;
    if (actor && !actor.role) {
      const [u] = await this.db.query(`SELECT role FROM users WHERE id = $1`, [actorId]);
      actor.role = u?.role ?? 'unknown';
    }
    let organizationId: string | null = null;
    if (ticketId) {
      const [t] = await this.db.query(`SELECT organization_id FROM tickets WHERE id = $1`, [
        ticketId,
      ]);
      organizationId = t?.organization_id ?? null;
    }
    await this.log({
      action,
      actor,
      object: ticketId ? { type: 'ticket', id: ticketId } : null,
      ticketId,
      organizationId,
      details,
    });
  }

  private fields(e: AuditEvent) {
    const ctx = currentAuditContext();
    const actor = e.actor === undefined ? (ctx.actor ?? null) : e.actor;
    return {
      at: new Date().toISOString(),
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      clientAddress: e.clientAddress === undefined ? (ctx.clientAddress ?? null) : e.clientAddress,
      action: e.action,
      objectType: e.object?.type ?? null,
      objectId: e.object?.id ?? null,
      organizationId: e.organizationId ?? null,
      ticketId: e.ticketId ?? (e.object?.type === 'ticket' ? e.object.id : null),
      details: e.details ?? null,
    };
  }

  /** Entries matching every given criterion, newest first. */
  async search(f: AuditFilter): Promise<AuditEntry[]> {
    await this.flush();
    const args: unknown[] = [];
    const arg = (v: unknown) => `$${args.push(v)}`;
    const where: string[] = [];
    if (f.actorId) where.push(`a.actor_id = ${arg(f.actorId)}`);
    if (f.action) {
      const p = arg(f.action);
      where.push(`(a.action = ${p} OR a.action LIKE ${p} || '.%')`);
    }
    if (f.objectType) where.push(`a.object_type = ${arg(f.objectType)}`);
    if (f.objectId) where.push(`a.object_id = ${arg(f.objectId)}`);
    if (f.organizationId) where.push(`a.organization_id = ${arg(f.organizationId)}`);
    if (f.ticketId) where.push(`a.ticket_id = ${arg(f.ticketId)}`);
    if (f.from) where.push(`a.at >= ${arg(f.from)}`);
    if (f.to) where.push(`a.at < ${arg(f.to)}`);
    if (f.before) where.push(`a.id < ${arg(f.before)}`);
    if (f.staffReads) where.push(`a.actor_role = ANY(${arg(STAFF_ROLES)}) AND ${READ_ACTION}`);
    const limit = Math.min(Math.max(f.limit ?? 200, 1), 10_000);
    const rows: EntryRow[] = await this.db.query(
      `SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC LIMIT ${arg(limit)}`,
      args,
    );
    return rows.map(toEntry);
  }

  /** The old list (ticketId, actorId). */
  list(filter: { ticketId?: string; actorId?: string; limit?: number }): Promise<AuditEntry[]> {
    return this.search(filter);
  }

  /** Staff who opened a ticket: first and last time, how many (5-minute) visits. */
  async viewersOf(ticketId: string): Promise<TicketViewer[]> {
    await this.flush();
    const rows = await this.db.query(
      `SELECT a.actor_id, u.name, a.actor_role, min(a.at) AS first, max(a.at) AS last, count(*)::int AS times
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.object_type = 'ticket' AND a.object_id = $1 AND a.action = 'ticket.read'
          AND a.actor_role = ANY($2) AND a.actor_id IS NOT NULL
        GROUP BY a.actor_id, u.name, a.actor_role ORDER BY max(a.at) DESC`,
      [ticketId, STAFF_ROLES],
    );
    return rows.map(
      (r: {
        actor_id: string;
        name: string | null;
        actor_role: string;
        first: Date;
        last: Date;
        times: number;
      }) => ({
        userId: r.actor_id,
        name: r.name,
        role: r.actor_role,
        firstSeenAt: new Date(r.first).toISOString(),
        lastSeenAt: new Date(r.last).toISOString(),
        times: r.times,
      }),
    );
  }

  /** Walks the whole chain (live entries and the links of purged ones) in id order. */
  async verify(): Promise<ChainVerdict> {
    await this.flush();
    const state = { last: GENESIS_HASH, checked: 0, purged: 0 };
    let after = '0';
    for (;;) {
      const rows: (EntryRow & { purged: boolean })[] = await this.db.query(
        `SELECT * FROM (
           (SELECT id, at, actor_id, actor_role, client_address, action, object_type, object_id, organization_id,
                   ticket_id, details, prev_hash, hash, false AS purged
              FROM audit_log WHERE id > $1 ORDER BY id LIMIT 2000)
           UNION ALL
           (SELECT id, null, null, null, null, null, null, null, null, null, null, prev_hash, hash, true
              FROM audit_purged WHERE id > $1 ORDER BY id LIMIT 2000)) c
          ORDER BY id LIMIT 2000`,
        [after],
      );
      if (!rows.length) return { ok: true, checked: state.checked, purged: state.purged };
      const links: ChainLink[] = rows.map((r) =>
        r.purged
          ? { id: String(r.id), prevHash: r.prev_hash, hash: r.hash, purged: true }
          : {
              id: String(r.id),
              prevHash: r.prev_hash,
              hash: r.hash,
              fields: {
                at: new Date(r.at).toISOString(),
                actorId: r.actor_id,
                actorRole: r.actor_role,
                clientAddress: r.client_address,
                action: r.action,
                objectType: r.object_type,
                objectId: r.object_id,
                organizationId: r.organization_id,
                ticketId: r.ticket_id,
                details: r.details,
              },
            },
      );
      const verdict = verifyLinks(links, state);
      if (verdict) return verdict;
      after = String(rows[rows.length - 1].id);
    }
  }
}

const FORMULA = /^[=+\-@\t\r]/;
const cell = (v: unknown): string => {
  let s =
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Entries as CSV (RFC 4180; cells that a spreadsheet would run as a formula are quoted with '). */
export function auditCsv(entries: AuditEntry[]): string {
  const cols: (keyof AuditEntry)[] = [
    'id',
    'at',
    'actorId',
    'actorName',
    'actorRole',
    'clientAddress',
    'action',
    'objectType',
    'objectId',
    'organizationId',
    'ticketId',
    'details',
  ];
  return (
    [cols.join(','), ...entries.map((e) => cols.map((c) => cell(e[c])).join(','))].join('\r\n') +
    '\r\n'
  );
}
