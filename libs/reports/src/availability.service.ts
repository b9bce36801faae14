import { invalid, notFound } from '@app/config';
import { AuthUser, OrganizationsService } from '@app/identity';
import { parseInstant, PoliciesService } from '@app/severity';
import { DANISH_TERMS } from '@app/sla';
import { TicketAccess, TicketsRepository, TicketsService } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DANISH_CONTRACT_TERMS,
  parseTerms,
  ReportInputError,
  STANDARD_TERMS,
  type ContractTerms,
} from './core';

interface OutageRow {
  id: string;
  number: string;
  organization_id: string | null;
  ticket_id: string | null;
  ticket_number: string | null;
  start_at: Date | null;
  restored_at: Date | null;
  summary: string;
  corrections: RawCorrection[];
}
interface WindowRow {
  id: string;
  number: string;
  organization_id: string | null;
  starts_at: Date;
  ends_at: Date;
  announced_at: Date;
  actual_start_at: Date | null;
  actual_end_at: Date | null;
  summary: string;
  corrections: RawCorrection[];
}
interface RawCorrection {
  field: string;
  from: string | null;
  to: string | null;
  reason: string;
  actorId: string | null;
  at: string;
}

const iso = (d: Date | string | null): string | null =>
  d === null ? null : new Date(d).toISOString();

export interface CorrectionView {
  field: string;
  from: string | null;
  to: string | null;
  reason: string;
  actorId: string | null;
  at: string;
}

export interface OutageView {
  id: string;
  reference: string;
  organizationId: string | null;
  ticketId: string | null;
  start: string | null;
  restoredAt: string | null;
  summary: string;
  corrections: CorrectionView[];
}

export interface MaintenanceView {
  id: string;
  reference: string;
  organizationId: string | null;
  start: string;
  end: string;
  announcedAt: string;
  actualStart: string;
  actualEnd: string;
  summary: string;
  corrections: CorrectionView[];
}

export const outageReference = (n: number | string) => `OUT-${String(n).padStart(4, '0')}`;
export const maintenanceReference = (n: number | string) => `MW-${String(n).padStart(4, '0')}`;

const instant = (v: string | undefined | null, field: string, allowFuture = false) =>
  v === undefined || v === null ? v : parseInstant(v, field, { allowFuture });

/** Contract terms a policy has when none were saved: the Danish terms' policy gets those. */
export function defaultTerms(policyName: string): ContractTerms {
  return policyName === DANISH_TERMS.name ? DANISH_CONTRACT_TERMS : STANDARD_TERMS;
}

/**
 * Incidents (a Severity 1 ticket's restoration, outages recorded without a ticket), planned
 * maintenance windows, and the contract terms the report checks them against. Every correction of
 * an end is kept with its author and reason.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsService,
    private readonly ticketRows: TicketsRepository,
    private readonly policies: PoliciesService,
    private readonly orgs: OrganizationsService,
  ) {}

  async terms(
    policyId: string,
  ): Promise<{ policyId: string; terms: ContractTerms; updatedAt: string | null }> {
    const policy = await this.policies.getPolicy(policyId);
    const [row] = await this.db.query(
      `SELECT document, updated_at FROM contract_terms WHERE policy_id = $1`,
      [policyId],
    );
    return {
      policyId,
      terms: row ? parseTerms(row.document) : defaultTerms(policy.document.name),
      updatedAt: row ? iso(row.updated_at) : null,
    };
  }

  async saveTerms(actor: AuthUser, policyId: string, doc: unknown) {
    await this.policies.getPolicy(policyId);
    let terms: ContractTerms;
    try {
      terms = parseTerms(doc);
    } catch (err) {
      if (err instanceof ReportInputError) throw invalid('bad_contract_terms', err.message);
      throw err;
    }
    await this.db.query(
      `INSERT INTO contract_terms (policy_id, document, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (policy_id) DO UPDATE SET document = EXCLUDED.document, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [policyId, JSON.stringify(terms), actor.id],
    );
    return this.terms(policyId);
  }

  /** An agent records that service was restored on a Severity 1 ticket (kept in its history). */
  async recordRestoration(
    actor: AuthUser,
    ticketId: string,
    restoredAtText: string,
    reason?: string,
  ) {
    const row = await this.tickets.readable(actor, ticketId);
    TicketAccess.assertMayWork(actor, row);
    if (row.severity !== 1)
      throw invalid(
        'not_an_incident',
        'Only a Severity 1 ticket is an incident: service restoration is recorded on those.',
      );
    const restoredAt = parseInstant(restoredAtText, 'restoredAt');
    return this.changeTicketIncident(actor, row.id, { restoredAt }, reason ?? 'service restored');
  }

  /** An admin corrects either end of a ticket's incident. */
  async correctTicketIncident(
    actor: AuthUser,
    ticketId: string,
    change: { start?: string; restoredAt?: string | null; reason: string },
  ) {
    const row = await this.tickets.readable(actor, ticketId);
    if (row.severity !== 1)
      throw invalid('not_an_incident', 'This ticket is not Severity 1, so not an incident.');
    return this.changeTicketIncident(
      actor,
      row.id,
      {
        start: instant(change.start, 'start') ?? undefined,
        restoredAt: instant(change.restoredAt, 'restoredAt'),
      },
      change.reason,
      true,
    );
  }

  private async changeTicketIncident(
    actor: AuthUser,
    ticketId: string,
    change: { start?: number; restoredAt?: number | null },
    reason: string,
    correction = false,
  ): Promise<OutageView> {
    const id = await this.db.transaction(async (m) => {
      const [t] = await m.query(
        `SELECT id, received_at, organization_id FROM tickets WHERE id = $1 FOR UPDATE`,
        [ticketId],
      );
      await m.query(
        `INSERT INTO outages (organization_id, ticket_id, created_by) VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO NOTHING`,
        [t.organization_id, ticketId, actor.id],
      );
      const [o] = await m.query(`SELECT * FROM outages WHERE ticket_id = $1 FOR UPDATE`, [
        ticketId,
      ]);
      const start =
        change.start ??
        (o.started_at ? new Date(o.started_at).getTime() : new Date(t.received_at).getTime());
      const restored =
        change.restoredAt === undefined
          ? o.restored_at
            ? new Date(o.restored_at).getTime()
            : null
          : change.restoredAt;
      if (restored !== null && restored < start)
        throw invalid(
          'restored_before_start',
          'restoredAt must not be before the incident started.',
        );
      for (const [field, column, value] of [
        ['start', 'started_at', change.start],
        ['restoredAt', 'restored_at', change.restoredAt],
      ] as const) {
        if (value === undefined) continue;
        const old = o[column] ? new Date(o[column]) : null;
        const next = value === null ? null : new Date(value);
        if ((old?.getTime() ?? null) === (next?.getTime() ?? null)) continue;
        await m.query(`UPDATE outages SET ${column} = $2 WHERE id = $1`, [o.id, next]);
        await this.ticketRows.addHistory(m, ticketId, actor.id, field, iso(old), iso(next), reason);
        if (correction || old !== null)
          await this.correction(m, { outage: o.id }, field, old, next, reason, actor);
      }
      await m.query(`UPDATE tickets SET updated_at = now() WHERE id = $1`, [ticketId]);
      return o.id as string;
    });
    return this.outage(id);
  }

  private async correction(
    m: EntityManager,
    of: { outage?: string; maintenance?: string },
    field: string,
    old: Date | null,
    next: Date | null,
    reason: string,
    actor: AuthUser,
  ) {
    await m.query(
      `INSERT INTO availability_corrections (outage_id, maintenance_id, field, old_value, new_value, reason, actor_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [of.outage ?? null, of.maintenance ?? null, field, old, next, reason, actor.id],
    );
  }

  private async checkOrganization(id: string | null | undefined) {
    if (id) await this.orgs.get(id);
  }

  async createOutage(
    actor: AuthUser,
    body: {
      organizationId?: string | null;
      start: string;
      restoredAt?: string | null;
      summary?: string;
    },
  ) {
    await this.checkOrganization(body.organizationId);
    const start = parseInstant(body.start, 'start');
    const restored = instant(body.restoredAt, 'restoredAt') ?? null;
    if (restored !== null && restored < start)
      throw invalid('restored_before_start', 'restoredAt must not be before start.');
    const [row] = await this.db.query(
      `INSERT INTO outages (organization_id, started_at, restored_at, summary, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [
        body.organizationId ?? null,
        new Date(start),
        restored === null ? null : new Date(restored),
        body.summary ?? '',
        actor.id,
      ],
    );
    return this.outage(row.id);
  }

  async correctOutage(
    actor: AuthUser,
    id: string,
    change: { start?: string; restoredAt?: string | null; reason: string },
  ) {
    const current = await this.outage(id);
    if (current.ticketId) return this.correctTicketIncident(actor, current.ticketId, change);
    await this.db.transaction(async (m) => {
      const [o] = await m.query(`SELECT * FROM outages WHERE id = $1 FOR UPDATE`, [id]);
      const start = instant(change.start, 'start') ?? new Date(o.started_at).getTime();
      const restored =
        change.restoredAt === undefined
          ? o.restored_at
            ? new Date(o.restored_at).getTime()
            : null
          : instant(change.restoredAt, 'restoredAt')!;
      if (restored !== null && restored < start)
        throw invalid('restored_before_start', 'restoredAt must not be before start.');
      for (const [field, column, value] of [
        ['start', 'started_at', change.start === undefined ? undefined : start],
        ['restoredAt', 'restored_at', change.restoredAt === undefined ? undefined : restored],
      ] as const) {
        if (value === undefined) continue;
        const old = o[column] ? new Date(o[column]) : null;
        const next = value === null ? null : new Date(value);
        if ((old?.getTime() ?? null) === (next?.getTime() ?? null)) continue;
        await m.query(`UPDATE outages SET ${column} = $2 WHERE id = $1`, [id, next]);
        await this.correction(m, { outage: id }, field, old, next, change.reason, actor);
      }
    });
    return this.outage(id);
  }

  async outage(id: string): Promise<OutageView> {
    const list = await this.outages({ id });
    if (!list.length) throw notFound('outage_not_found', `No outage ${id}.`);
    return list[0];
  }

  /** Outages and ticket incidents of an organisation (and those of every organisation). */
  async outages(filter: { id?: string; organizationId?: string }): Promise<OutageView[]> {
    const rows = await this.db.query(
      `SELECT o.*, coalesce(o.started_at, t.received_at) AS start_at, t.number AS ticket_number,
              coalesce((SELECT json_agg(json_build_object('field', c.field, 'from', c.old_value, 'to', c.new_value, 'reason', c.reason, 'actorId', c.actor_id, 'at', c.at) ORDER BY c.id)
                          FROM availability_corrections c WHERE c.outage_id = o.id), '[]') AS corrections
         FROM outages o LEFT JOIN tickets t ON t.id = o.ticket_id
        WHERE ($1::uuid IS NULL OR o.id = $1) AND ($2::uuid IS NULL OR o.organization_id = $2 OR o.organization_id IS NULL)
        ORDER BY start_at, o.number`,
      [filter.id ?? null, filter.organizationId ?? null],
    );
    return rows.map((r: OutageRow): OutageView => ({
      id: r.id,
      reference: r.ticket_number
        ? `HD-${String(r.ticket_number).padStart(6, '0')}`
        : outageReference(r.number),
      organizationId: r.organization_id,
      ticketId: r.ticket_id,
      start: iso(r.start_at),
      restoredAt: iso(r.restored_at),
      summary: r.summary,
      corrections: r.corrections.map(toCorrection),
    }));
  }

  async createMaintenance(
    actor: AuthUser,
    body: {
      organizationId?: string | null;
      start: string;
      end: string;
      announcedAt?: string;
      summary?: string;
    },
  ) {
    await this.checkOrganization(body.organizationId);
    const start = parseInstant(body.start, 'start', { allowFuture: true });
    const end = parseInstant(body.end, 'end', { allowFuture: true });
    if (end <= start) throw invalid('end_before_start', 'end must be after start.');
    const announced =
      body.announcedAt === undefined ? Date.now() : parseInstant(body.announcedAt, 'announcedAt');
    const [row] = await this.db.query(
      `INSERT INTO maintenance_windows (organization_id, starts_at, ends_at, announced_at, summary, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        body.organizationId ?? null,
        new Date(start),
        new Date(end),
        new Date(announced),
        body.summary ?? '',
        actor.id,
      ],
    );
    return this.window(row.id);
  }

  /** Corrects the announced window or when the work actually started and ended. */
  async correctMaintenance(
    actor: AuthUser,
    id: string,
    change: {
      start?: string;
      end?: string;
      actualStart?: string;
      actualEnd?: string;
      reason: string;
    },
  ) {
    await this.window(id);
    await this.db.transaction(async (m) => {
      const [w] = await m.query(`SELECT * FROM maintenance_windows WHERE id = $1 FOR UPDATE`, [id]);
      const cols = {
        start: 'starts_at',
        end: 'ends_at',
        actualStart: 'actual_start_at',
        actualEnd: 'actual_end_at',
      } as const;
      const next: Record<string, number> = {};
      for (const field of Object.keys(cols) as (keyof typeof cols)[]) {
        const v = change[field];
        if (v !== undefined) next[field] = parseInstant(v, field, { allowFuture: true });
      }
      const cur = (col: string) => (w[col] ? new Date(w[col]).getTime() : null);
      const start = next.start ?? cur('starts_at')!;
      const end = next.end ?? cur('ends_at')!;
      const actualStart = next.actualStart ?? cur('actual_start_at') ?? start;
      const actualEnd = next.actualEnd ?? cur('actual_end_at') ?? end;
      if (end <= start) throw invalid('end_before_start', 'end must be after start.');
      if (actualEnd <= actualStart)
        throw invalid('end_before_start', 'actualEnd must be after actualStart.');
      for (const [field, value] of Object.entries(next)) {
        const column = cols[field as keyof typeof cols];
        const old = w[column] ? new Date(w[column]) : null;
        if (old?.getTime() === value) continue;
        await m.query(`UPDATE maintenance_windows SET ${column} = $2 WHERE id = $1`, [
          id,
          new Date(value),
        ]);
        await this.correction(
          m,
          { maintenance: id },
          field,
          old,
          new Date(value),
          change.reason,
          actor,
        );
      }
    });
    return this.window(id);
  }

  async window(id: string): Promise<MaintenanceView> {
    const list = await this.windows({ id });
    if (!list.length) throw notFound('maintenance_not_found', `No maintenance window ${id}.`);
    return list[0];
  }

  async windows(filter: { id?: string; organizationId?: string }): Promise<MaintenanceView[]> {
    const rows = await this.db.query(
      `SELECT w.*,
              coalesce((SELECT json_agg(json_build_object('field', c.field, 'from', c.old_value, 'to', c.new_value, 'reason', c.reason, 'actorId', c.actor_id, 'at', c.at) ORDER BY c.id)
                          FROM availability_corrections c WHERE c.maintenance_id = w.id), '[]') AS corrections
         FROM maintenance_windows w
        WHERE ($1::uuid IS NULL OR w.id = $1) AND ($2::uuid IS NULL OR w.organization_id = $2 OR w.organization_id IS NULL)
        ORDER BY w.starts_at, w.number`,
      [filter.id ?? null, filter.organizationId ?? null],
    );
    return rows.map((r: WindowRow): MaintenanceView => ({
      id: r.id,
      reference: maintenanceReference(r.number),
      organizationId: r.organization_id,
      start: iso(r.starts_at)!,
      end: iso(r.ends_at)!,
      announcedAt: iso(r.announced_at)!,
      actualStart: iso(r.actual_start_at ?? r.starts_at)!,
      actualEnd: iso(r.actual_end_at ?? r.ends_at)!,
      summary: r.summary,
      corrections: r.corrections.map(toCorrection),
    }));
  }
}

const toCorrection = (c: RawCorrection): CorrectionView => ({
  field: c.field,
  from: iso(c.from),
  to: iso(c.to),
  reason: c.reason,
  actorId: c.actorId,
  at: iso(c.at)!,
});
